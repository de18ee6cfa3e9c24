import { Column, Entity, Index } from 'typeorm';
import { CreatedAtColumn, IdColumn, InstantColumn, newId } from '../database/columns';
import type { MatchTier } from '../acquisitions/identifiers';

export const HIT_STATUSES = ['new', 'investigating', 'confirmed', 'dismissed'] as const;
export type HitStatus = (typeof HIT_STATUSES)[number];
export const HIT_SOURCES = ['stolen_report', 'suspicious', 'dealer_report'] as const;
export type HitSource = (typeof HIT_SOURCES)[number];

/**
 * R12/R14/R17: a lead for the police — an item matching a stolen report, a suspicious item (R5) or
 * a dealer's report. Never shown to the dealer.
 */
@Entity('hits')
@Index('UQ_hits_item_report', ['itemId', 'stolenReportId'], { unique: true })
@Index('IDX_hits_status', ['status', 'createdAt'])
@Index('IDX_hits_dealer', ['dealerId'])
export class Hit {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 20 })
  source!: HitSource;

  @Column({ type: 'varchar', length: 10 })
  tier!: MatchTier;

  @Column({ type: 'varchar', length: 15 })
  status!: HitStatus;

  @Column({ type: 'varchar', length: 36, nullable: true })
  itemId!: string | null;

  @Column({ type: 'varchar', length: 36 })
  dealerId!: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  stolenReportId!: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  dealerReportId!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @InstantColumn()
  updatedAt!: Date;
}

/** R14: one step of a hit's handling — who, when, which status, and the note. */
@Entity('hit_events')
@Index('IDX_hit_events_hit', ['hitId', 'at'])
export class HitEvent {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  hitId!: string;

  @Column({ type: 'varchar', length: 15 })
  status!: HitStatus;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note!: string | null;

  /** null: DOR itself (the match). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  userId!: string | null;

  @Column({ type: 'varchar', length: 200 })
  userName!: string;

  @InstantColumn()
  at!: Date;
}
