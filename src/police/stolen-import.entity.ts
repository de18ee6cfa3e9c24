import { Column, Entity, Index } from 'typeorm';
import { JobColumns } from '../imports/import-job.entity';

/** A bulk upload of stolen reports (the national feed), run as a job with progress. */
@Entity('stolen_report_imports')
@Index('IDX_stolen_report_imports_status', ['status'])
export class StolenImport extends JobColumns {
  /** Rows whose case number and identifier were already reported (skipped; a resumed job skips what it did). */
  @Column({ type: 'integer', default: 0 })
  duplicates!: number;

  @Column({ type: 'integer', default: 0 })
  hits!: number;
}
