import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

/**
 * A fixed-window counter kept in the database, so that several server processes agree on rate
 * limits and login lockouts (QUALITY.md "Beyond one machine").
 */
@Entity('rate_limit_buckets')
export class RateLimitBucket {
  @PrimaryColumn({ type: 'varchar', length: 300 })
  key!: string;

  @Column({ type: 'integer' })
  hits!: number;

  @InstantColumn()
  windowEndsAt!: Date;

  @InstantColumn({ nullable: true })
  blockedUntil!: Date | null;
}
