import { Column, Entity, Index } from 'typeorm';
import { IdColumn, InstantColumn, newId } from '../database/columns';

export const DISPOSAL_KINDS = [
  'sale',
  'returned_to_seller',
  'melted',
  'destroyed',
  'lost',
  'seized_by_police',
] as const;
export type DisposalKind = (typeof DISPOSAL_KINDS)[number];
export const VIOLATIONS = ['holding_period', 'police_hold'] as const;
export type Violation = (typeof VIOLATIONS)[number];

/** R9: the one disposal (verkoop/afgifte) of an item, recorded as reported, with its violations. */
@Entity('disposals')
@Index('UQ_disposals_item', ['itemId'], { unique: true })
@Index('IDX_disposals_dealer', ['dealerId', 'disposedAt'])
export class Disposal {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  itemId!: string;

  @Column({ type: 'varchar', length: 36 })
  dealerId!: string;

  @InstantColumn()
  disposedAt!: Date;

  @Column({ type: 'varchar', length: 20 })
  kind!: DisposalKind;

  @Column({ type: 'integer', nullable: true })
  priceCents!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  buyerName!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  buyerCity!: string | null;

  @Column({ type: 'simple-json' })
  violations!: Violation[];

  @InstantColumn()
  recordedAt!: Date;

  @Column({ type: 'varchar', length: 36 })
  recordedByUserId!: string;
}
