import { Column, Entity, Index } from 'typeorm';
import { CreatedAtColumn, IdColumn, InstantColumn, newId } from '../database/columns';
import type { ImportError, ImportStatus } from '../imports/import-job.entity';

/** A bulk upload of stolen reports (the national feed), run as a job with progress. */
@Entity('stolen_report_imports')
@Index('IDX_stolen_report_imports_status', ['status'])
export class StolenImport {
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

  /** Rows whose case number and identifier were already reported (skipped; a resumed job skips what it did). */
  @Column({ type: 'integer', default: 0 })
  duplicates!: number;

  @Column({ type: 'integer', default: 0 })
  hits!: number;

  @Column({ type: 'simple-json' })
  errors!: ImportError[];

  /** The upload (CSV or JSON), cleared when the job ends. */
  @Column({ type: 'text', nullable: true })
  content!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @InstantColumn({ nullable: true })
  finishedAt!: Date | null;
}
