import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CreatedAtColumn, IdColumn, InstantColumn, newId } from '../database/columns';
import { Dealer } from '../dealers/dealer.entity';

export const ID_DOCUMENT_TYPES = [
  'passport',
  'id_card',
  'driving_licence',
  'residence_permit',
] as const;
export type IdDocumentType = (typeof ID_DOCUMENT_TYPES)[number];

/**
 * A seller as identified by one dealer at one moment (R6). Never a BSN, never a copy of the
 * document. The document number is stored encrypted (AES-256-GCM) with an HMAC blind index for
 * lookups and its last 4 characters for the dealer (R20). The personal fields become null when
 * erased (R18); the salted commitment that the hash chain holds stays.
 */
@Entity('sellers')
@Index('IDX_sellers_dealer', ['dealerId', 'createdAt'])
@Index('IDX_sellers_birth_date', ['dateOfBirth'])
export class Seller {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  dealerId!: string;

  @ManyToOne(() => Dealer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'dealerId', foreignKeyConstraintName: 'FK_sellers_dealer' })
  dealer?: Dealer;

  @Column({ type: 'varchar', length: 100, nullable: true })
  lastName!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  firstNames!: string | null;

  /** YYYY-MM-DD */
  @Column({ type: 'varchar', length: 10, nullable: true })
  dateOfBirth!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  street!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  houseNumber!: string | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  postalCode!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  city!: string | null;

  /** ISO 3166-1 alpha-2 */
  @Column({ type: 'varchar', length: 2, nullable: true })
  country!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  idType!: IdDocumentType | null;

  /** base64(iv ‖ tag ‖ ciphertext), AES-256-GCM with the data key. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  idNumberCipher!: string | null;

  @Column({ type: 'varchar', length: 4, nullable: true })
  idNumberLast4!: string | null;

  @Column({ type: 'varchar', length: 2, nullable: true })
  idIssuingCountry!: string | null;

  /** HMAC-SHA256 of the normalised document (type, country, number): links a seller across dealers (R16) without the number. */
  @Index('IDX_sellers_document_index')
  @Column({ type: 'varchar', length: 64, nullable: true })
  documentIndex!: string | null;

  /** HMAC of the normalised document number alone: police search and watchlists by number (R15). */
  @Index('IDX_sellers_number_index')
  @Column({ type: 'varchar', length: 64, nullable: true })
  numberIndex!: string | null;

  /** Random salt of the commitment; erased with the personal data. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  salt!: string | null;

  /** SHA-256(salt ‖ canonical personal data): what the hash chain holds (R11). */
  @Column({ type: 'varchar', length: 64 })
  commitment!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @InstantColumn({ nullable: true })
  erasedAt!: Date | null;
}
