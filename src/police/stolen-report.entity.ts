import { Column, Entity, Index } from 'typeorm';
import { CreatedAtColumn, IdColumn, InstantColumn, newId } from '../database/columns';
import type { IdentifierKind } from '../acquisitions/identifiers';

export const STOLEN_STATUSES = ['active', 'resolved'] as const;
export type StolenStatus = (typeof STOLEN_STATUSES)[number];

/** R12: a stolen item reported by the police (one by one or from the national feed). */
@Entity('stolen_reports')
@Index('UQ_stolen_reports_case_key', ['caseNumber', 'identifierKey'], { unique: true })
@Index('IDX_stolen_reports_folded', ['foldedKey', 'status'])
@Index('IDX_stolen_reports_created', ['createdAt'])
@Index('IDX_stolen_reports_search_key', { synchronize: false })
export class StolenReport {
  @IdColumn()
  id: string = newId();

  /** The proces-verbaal number. */
  @Column({ type: 'varchar', length: 50 })
  caseNumber!: string;

  @Column({ type: 'varchar', length: 10 })
  identifierType!: IdentifierKind;

  /** As reported. */
  @Column({ type: 'varchar', length: 100 })
  identifier!: string;

  /** Normalised comparison key (an IMEI: its first 14 digits). */
  @Column({ type: 'varchar', length: 100 })
  identifierKey!: string;

  /** The key with look-alike characters folded. */
  @Column({ type: 'varchar', length: 100 })
  foldedKey!: string;

  /** " foldedKey ", indexed for containment. */
  @Column({ type: 'varchar', length: 110 })
  searchKey!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  brand!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  category!: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  @InstantColumn({ nullable: true })
  stolenAt!: Date | null;

  @Column({ type: 'varchar', length: 10 })
  status!: StolenStatus;

  @Column({ type: 'varchar', length: 36, nullable: true })
  importJobId!: string | null;

  @Column({ type: 'varchar', length: 36 })
  createdByUserId!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @InstantColumn({ nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  resolvedByUserId!: string | null;
}
