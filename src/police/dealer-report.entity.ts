import { Column, Entity, Index } from 'typeorm';
import { CreatedAtColumn, IdColumn, newId } from '../database/columns';

export const DEALER_REPORT_KINDS = ['refused_offer', 'suspected_stolen'] as const;
export type DealerReportKind = (typeof DEALER_REPORT_KINDS)[number];

/** R17: a dealer reports a suspicious offer it refused, or an item it believes stolen. */
@Entity('dealer_reports')
@Index('IDX_dealer_reports_dealer', ['dealerId', 'createdAt'])
export class DealerReport {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  dealerId!: string;

  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: DealerReportKind;

  @Column({ type: 'varchar', length: 36, nullable: true })
  itemId!: string | null;

  @Column({ type: 'varchar', length: 2000 })
  description!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  brand!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  model!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  identifier!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
