import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { InstantColumn, IdColumn, newId } from '../database/columns';
import { Dealer, type DealerStatus } from './dealer.entity';

/** One line of a dealer's history (R2): every status change with its reason, who and when. */
@Entity('dealer_status_changes')
@Index('IDX_dealer_status_changes_dealer', ['dealerId', 'changedAt'])
export class DealerStatusChange {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  dealerId!: string;

  @ManyToOne(() => Dealer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'dealerId', foreignKeyConstraintName: 'FK_dealer_status_changes_dealer' })
  dealer?: Dealer;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fromStatus!: DealerStatus | null;

  @Column({ type: 'varchar', length: 16 })
  toStatus!: DealerStatus;

  @Column({ type: 'varchar', length: 1000 })
  reason!: string;

  /** Null for the public application itself. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  changedByUserId!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  changedByName!: string | null;

  @InstantColumn()
  changedAt!: Date;
}
