import { Column, Entity, Index } from 'typeorm';
import { IdColumn, InstantColumn, newId } from '../database/columns';

/** R13: a police hold on an item ("niet verkopen — politieonderzoek"); only the police lift it. */
@Entity('holds')
@Index('IDX_holds_item', ['itemId', 'liftedAt'])
export class Hold {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  itemId!: string;

  @Column({ type: 'varchar', length: 36 })
  dealerId!: string;

  @Column({ type: 'varchar', length: 50 })
  caseNumber!: string;

  @Column({ type: 'varchar', length: 1000 })
  reason!: string;

  @InstantColumn()
  placedAt!: Date;

  @Column({ type: 'varchar', length: 36 })
  placedByUserId!: string;

  @InstantColumn({ nullable: true })
  liftedAt!: Date | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  liftedByUserId!: string | null;
}
