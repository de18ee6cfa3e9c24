import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { IdColumn, InstantColumn, newId } from '../database/columns';
import type { Category } from '../dealers/dealer.entity';
import { Acquisition } from './acquisition.entity';

export const IDENTIFIER_ABSENT_REASONS = ['removed', 'unreadable', 'never_had'] as const;
export type IdentifierAbsent = (typeof IDENTIFIER_ABSENT_REASONS)[number];

/** One register line (R3): one item with its own consecutive register number per dealer. */
@Entity('items')
@Index('UQ_items_dealer_register_number', ['dealerId', 'registerNumber'], { unique: true })
@Index('IDX_items_acquisition', ['acquisitionId'])
// PostgreSQL full-text index made by the Police migration; SQLite uses an FTS5 table.
@Index('IDX_items_text', { synchronize: false })
export class Item {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  acquisitionId!: string;

  @ManyToOne(() => Acquisition, (a) => a.items, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'acquisitionId', foreignKeyConstraintName: 'FK_items_acquisition' })
  acquisition?: Acquisition;

  @Column({ type: 'varchar', length: 36 })
  dealerId!: string;

  @Column({ type: 'integer' })
  registerNumber!: number;

  @Column({ type: 'varchar', length: 20 })
  category!: Category;

  @Column({ type: 'varchar', length: 100, nullable: true })
  brand!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  model!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  imei!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  imei2!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  serialNumber!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  frameNumber!: string | null;

  @Column({ type: 'varchar', length: 17, nullable: true })
  vin!: string | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  identifierAbsent!: IdentifierAbsent | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  colour!: string | null;

  @Column({ type: 'integer' })
  priceCents!: number;

  /** > 1 only for goods without any individual identifier (scrap metal by weight). */
  @Column({ type: 'integer', default: 1 })
  quantity!: number;

  @Column({ type: 'varchar', length: 50, nullable: true })
  material!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  fineness!: string | null;

  /** Weight in milligrams (exact; the API speaks grams). */
  @Column({ type: 'integer', nullable: true })
  weightMilligrams!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  inscription!: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  stoneColour!: string | null;

  /** R8: start of the day after the N-th working day after the acquisition date. */
  @InstantColumn()
  sellableFrom!: Date;

  /** R5: identifier removed or unreadable — reaches the police like a possible hit. */
  @Column({ type: 'boolean', default: false })
  suspicious!: boolean;

  /** Normalised identifier keys (R12) for matching and search; an IMEI key is its first 14 digits. */
  @Index('IDX_items_imei_key')
  @Column({ type: 'varchar', length: 20, nullable: true })
  imeiKey!: string | null;

  @Index('IDX_items_imei2_key')
  @Column({ type: 'varchar', length: 20, nullable: true })
  imei2Key!: string | null;

  @Index('IDX_items_serial_key')
  @Column({ type: 'varchar', length: 100, nullable: true })
  serialKey!: string | null;

  @Index('IDX_items_frame_key')
  @Column({ type: 'varchar', length: 100, nullable: true })
  frameKey!: string | null;

  @Index('IDX_items_vin_key')
  @Column({ type: 'varchar', length: 17, nullable: true })
  vinKey!: string | null;
}
