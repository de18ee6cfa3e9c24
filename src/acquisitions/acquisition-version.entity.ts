import { Column, Entity, Index } from 'typeorm';
import { IdColumn, InstantColumn, newId } from '../database/columns';

/**
 * Every version of an acquisition (R10): version 1 as registered, each correction a new one with
 * what changed, why, who and when. Append-only; the snapshot is the canonical JSON that the
 * dealer's hash chain commits to.
 */
@Entity('acquisition_versions')
@Index('UQ_acquisition_versions', ['acquisitionId', 'version'], { unique: true })
export class AcquisitionVersion {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  acquisitionId!: string;

  @Column({ type: 'integer' })
  version!: number;

  /** Canonical JSON of the acquisition with its items at this version (seller as commitment). */
  @Column({ type: 'text' })
  snapshot!: string;

  /** The fields that changed (JSON list of paths); null for version 1. */
  @Column({ type: 'text', nullable: true })
  changed!: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  reason!: string | null;

  @Column({ type: 'varchar', length: 36 })
  createdByUserId!: string;

  @Column({ type: 'varchar', length: 200 })
  createdByName!: string;

  @InstantColumn()
  createdAt!: Date;
}
