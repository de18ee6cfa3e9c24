import { Column, Entity, Index } from 'typeorm';
import { IdColumn, InstantColumn, newId } from '../database/columns';

export const ACCESS_ACTIONS = ['search_items', 'top_sellers', 'view_seller'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/**
 * R19: one search or one view of seller data by police or BOA — who, role, when, why, what was
 * asked and how many results. Append-only: database triggers refuse UPDATE and DELETE.
 */
@Entity('access_log')
@Index('IDX_access_log_at', ['at'])
@Index('IDX_access_log_user', ['userId', 'at'])
export class AccessLogEntry {
  @IdColumn()
  id: string = newId();

  @InstantColumn()
  at!: Date;

  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @Column({ type: 'varchar', length: 200 })
  userName!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: string;

  @Column({ type: 'varchar', length: 30 })
  action!: AccessAction;

  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  @Column({ type: 'varchar', length: 50, nullable: true })
  caseNumber!: string | null;

  /** The question asked, as JSON (a document number only as its last 4 characters). */
  @Column({ type: 'text' })
  parameters!: string;

  @Column({ type: 'integer' })
  resultCount!: number;
}
