import { Column, Entity, Index } from 'typeorm';
import { CreatedAtColumn, IdColumn, InstantColumn, newId } from '../database/columns';

export const WATCH_KINDS = ['identifier', 'seller_document', 'brand_model'] as const;
export type WatchKind = (typeof WATCH_KINDS)[number];

/** R15: a standing question of a police officer; every later matching registration alerts the watcher. */
@Entity('watchlists')
@Index('IDX_watchlists_key', ['kind', 'matchKey'])
export class Watchlist {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 20 })
  kind!: WatchKind;

  /** What the officer sees: the identifier, "brand model", or a document as its last 4 characters. */
  @Column({ type: 'varchar', length: 200 })
  label!: string;

  /** Folded identifier key, the document's blind index, or "brand|model" in lower case. */
  @Column({ type: 'varchar', length: 200 })
  matchKey!: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note!: string | null;

  @Column({ type: 'varchar', length: 36 })
  createdByUserId!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @InstantColumn({ nullable: true })
  endedAt!: Date | null;
}

export const ALERT_KINDS = ['exact_hit', 'hold_disposal', 'watchlist', 'dealer_report'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** A message for the police at once: to one officer (a watcher, the officer who placed a hold) or to all (userId null). */
@Entity('alerts')
@Index('IDX_alerts_user', ['userId', 'createdAt'])
@Index('IDX_alerts_created', ['createdAt'])
export class Alert {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 20 })
  kind!: AlertKind;

  @Column({ type: 'varchar', length: 36, nullable: true })
  userId!: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  watchlistId!: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  hitId!: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  itemId!: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  dealerId!: string | null;

  @Column({ type: 'varchar', length: 300 })
  message!: string;

  @CreatedAtColumn()
  createdAt!: Date;
}
