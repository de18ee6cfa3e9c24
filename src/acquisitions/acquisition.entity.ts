import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany } from 'typeorm';
import { IdColumn, InstantColumn, newId } from '../database/columns';
import { Dealer } from '../dealers/dealer.entity';
import { Seller } from '../sellers/seller.entity';
import type { Item } from './item.entity';

export const ACQUISITION_TYPES = [
  'purchase',
  'trade_in',
  'voucher',
  'gift',
  'pawn',
  'consignment',
] as const;
export type AcquisitionType = (typeof ACQUISITION_TYPES)[number];
export const PAYMENT_METHODS = ['cash', 'pin', 'bank_transfer', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** An acquisition (inkoop, R4): one seller, one moment, one or more items. The current version. */
@Entity('acquisitions')
@Index('UQ_acquisitions_external_ref', ['dealerId', 'externalRef'], { unique: true })
@Index('IDX_acquisitions_dealer_acquired', ['dealerId', 'acquiredAt'])
@Index('IDX_acquisitions_seller', ['sellerId'])
@Index('IDX_acquisitions_acquired', ['acquiredAt'])
export class Acquisition {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  dealerId!: string;

  @ManyToOne(() => Dealer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'dealerId', foreignKeyConstraintName: 'FK_acquisitions_dealer' })
  dealer?: Dealer;

  /** The dealer's own reference (point-of-sale), unique per dealer: makes retries idempotent. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  externalRef!: string | null;

  /** SHA-256 of the canonical request, to tell a retry (same body) from a conflict. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  requestHash!: string | null;

  @InstantColumn()
  acquiredAt!: Date;

  @InstantColumn()
  registeredAt!: Date;

  /** R7: registered later than the municipality's deadline. */
  @Column({ type: 'boolean' })
  late!: boolean;

  @Column({ type: 'varchar', length: 16 })
  acquisitionType!: AcquisitionType;

  @Column({ type: 'varchar', length: 16, nullable: true })
  paymentMethod!: PaymentMethod | null;

  @Column({ type: 'varchar', length: 36 })
  sellerId!: string;

  @ManyToOne(() => Seller, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sellerId', foreignKeyConstraintName: 'FK_acquisitions_seller' })
  seller?: Seller;

  @Column({ type: 'varchar', length: 36 })
  registeredByUserId!: string;

  /** The number of the current version (1 = as registered; each correction adds one). */
  @Column({ type: 'integer' })
  version!: number;

  @InstantColumn({ nullable: true })
  voidedAt!: Date | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  voidReason!: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  voidedByUserId!: string | null;

  /**
   * The import job while the import this acquisition belongs to is still being written: the
   * acquisition, its lines and everything written with them are not yet in the register (every read
   * leaves them out). NULL for everything in the register; an import is published in one statement.
   */
  @Index('IDX_acquisitions_pending_import')
  @Column({ type: 'varchar', length: 36, nullable: true })
  pendingImportId!: string | null;

  @OneToMany('Item', 'acquisition')
  items?: Item[];
}
