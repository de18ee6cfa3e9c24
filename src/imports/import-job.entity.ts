import { Column, Entity, Index } from 'typeorm';
import { CreatedAtColumn, IdColumn, InstantColumn, newId } from '../database/columns';

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportError {
  line: number;
  field: string;
  message: string;
  /** Stable machine-readable code (the API's problem codes, or CSV_* for the file itself). */
  code?: string;
}

/**
 * What every background import job has (a dealer's CSV, the police's stolen-goods feed): status,
 * progress, errors by line, and the upload itself until the job ends.
 */
export abstract class JobColumns {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @Column({ type: 'varchar', length: 200 })
  fileName!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: ImportStatus;

  @Column({ type: 'integer', default: 0 })
  total!: number;

  @Column({ type: 'integer', default: 0 })
  processed!: number;

  @Column({ type: 'integer', default: 0 })
  created!: number;

  @Column({ type: 'simple-json' })
  errors!: ImportError[];

  /** The upload, cleared when the job ends. */
  @Column({ type: 'text', nullable: true })
  content!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @InstantColumn({ nullable: true })
  finishedAt!: Date | null;

  /** The node running the job (DOR_NODE_ID); null while nobody holds it. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  claimedBy!: string | null;

  /** The claim holds until then and is renewed while the job runs; then another node may take the job over. */
  @InstantColumn({ nullable: true })
  leaseUntil!: Date | null;

  /** How often a node claimed the job. */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;
}

/**
 * Where a running import is: `null` while the file is read and checked (nothing written yet);
 * `writing` while its lines are written in chunks, hidden, with the dealer's register held;
 * `discarding` while what it wrote is removed again (it failed).
 */
export type ImportPhase = 'writing' | 'discarding';

/**
 * A CSV import of a dealer's register (API.md "imports"). The file is kept until the job ends, so
 * that a job interrupted by a restart continues: from the start while it was being checked, from
 * the next chunk while it was being written, or with the removal of what it wrote when it failed.
 */
@Entity('import_jobs')
@Index('IDX_import_jobs_dealer', ['dealerId', 'createdAt'])
@Index('IDX_import_jobs_status', ['status'])
export class ImportJob extends JobColumns {
  @Column({ type: 'varchar', length: 36 })
  dealerId!: string;

  @Column({ type: 'varchar', length: 10, nullable: true })
  phase!: ImportPhase | null;

  /** The registration time of every line of the import (the moment it took the dealer's register). */
  @InstantColumn({ nullable: true })
  registeredAt!: Date | null;

  /** Acquisitions of the file handled so far in the writing phase (written, or skipped as already there). */
  @Column({ type: 'integer', default: 0 })
  written!: number;

  /** The dealer's last register number, chain length and chain head as the import's hidden lines leave them. */
  @Column({ type: 'integer', nullable: true })
  lastRegisterNumber!: number | null;

  @Column({ type: 'integer', nullable: true })
  chainLength!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  chainHead!: string | null;
}
