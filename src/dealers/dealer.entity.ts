import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn, IdColumn, newId } from '../database/columns';
import { Municipality } from '../municipalities/municipality.entity';

/** The previous hash of a dealer's first chain event. */
export const GENESIS_HASH = '0'.repeat(64);

export const DEALER_STATUSES = ['pending', 'active', 'rejected', 'suspended', 'closed'] as const;
export type DealerStatus = (typeof DEALER_STATUSES)[number];

/** The categories of DOMAIN.md R5 that a dealer can trade in. */
export const CATEGORIES = [
  'phone',
  'laptop',
  'tablet',
  'computer',
  'camera',
  'audio_video',
  'gaming',
  'tools',
  'watch',
  'bicycle',
  'ebike',
  'vehicle_part',
  'jewellery',
  'precious_metal',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** A second-hand dealer (opkoper), R1–R2. */
@Entity('dealers')
@Index('IDX_dealers_municipality_status', ['municipalityCode', 'status'])
export class Dealer {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 200 })
  companyName!: string;

  @Index('UQ_dealers_kvk', { unique: true })
  @Column({ type: 'varchar', length: 8 })
  kvkNumber!: string;

  @Column({ type: 'varchar', length: 200 })
  street!: string;

  @Column({ type: 'varchar', length: 20 })
  houseNumber!: string;

  @Column({ type: 'varchar', length: 7 })
  postalCode!: string;

  @Column({ type: 'varchar', length: 100 })
  city!: string;

  @Column({ type: 'varchar', length: 6 })
  municipalityCode!: string;

  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipalityCode', foreignKeyConstraintName: 'FK_dealers_municipality' })
  municipality?: Municipality;

  /** JSON array of Category. */
  @Column({ type: 'simple-json' })
  categories!: Category[];

  @Column({ type: 'varchar', length: 16 })
  status!: DealerStatus;

  /** R3: the last register number handed out; raised in the registering transaction (gapless). */
  @Column({ type: 'integer', default: 0 })
  lastRegisterNumber!: number;

  /** R11: length and head of the dealer's hash chain, raised in the same transaction as the event. */
  @Column({ type: 'integer', default: 0 })
  chainLength!: number;

  @Column({ type: 'varchar', length: 64, default: GENESIS_HASH })
  chainHead!: string;

  /**
   * The import job that holds the dealer's register numbers and chain while it writes its lines
   * (hidden until published); other writes to the register wait until it is published or removed.
   */
  @Column({ type: 'varchar', length: 36, nullable: true })
  registerHeldBy!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
