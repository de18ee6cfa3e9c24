import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { Db } from '../database/db.service';
import { RateLimitBucket } from './rate-limit-bucket.entity';

export interface RateLimit {
  /** Hits allowed within the window; the next one blocks. */
  limit: number;
  windowSeconds: number;
  blockSeconds: number;
}

/** Fixed-window counters in the database (login lockout, rate limits), shared by all processes. */
@Injectable()
export class RateLimitsRepository {
  constructor(
    @InjectRepository(RateLimitBucket) private readonly buckets: Repository<RateLimitBucket>,
    private readonly db: Db,
  ) {}

  /** Seconds until the key is unblocked, or 0 when it is not blocked. */
  async blockedFor(key: string, now = new Date()): Promise<number> {
    const bucket = await this.buckets.findOneBy({ key });
    if (!bucket?.blockedUntil || bucket.blockedUntil <= now) return 0;
    return Math.max(1, Math.ceil((bucket.blockedUntil.getTime() - now.getTime()) / 1000));
  }

  /**
   * Counts one hit; returns seconds blocked (0 when still within the limit). The row is made if
   * missing (INSERT … ignore on conflict) and then read locked (PostgreSQL), so that parallel
   * failures on one key are each counted — none lost, none answered with a unique-key 409.
   */
  async hit(key: string, rule: RateLimit, now = new Date()): Promise<number> {
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(RateLimitBucket);
      const windowEndsAt = new Date(now.getTime() + rule.windowSeconds * 1000);
      await m
        .createQueryBuilder()
        .insert()
        .into(RateLimitBucket)
        .values({ key, hits: 0, windowEndsAt, blockedUntil: null })
        .orIgnore()
        .updateEntity(false)
        .execute();
      const pg = m.connection.options.type === 'postgres';
      const bucket = await repo.findOneOrFail({
        where: { key },
        ...(pg ? { lock: { mode: 'pessimistic_write' as const } } : {}),
      });
      if (bucket.windowEndsAt <= now) {
        bucket.hits = 0;
        bucket.windowEndsAt = windowEndsAt;
        if (bucket.blockedUntil && bucket.blockedUntil <= now) bucket.blockedUntil = null;
      }
      bucket.hits += 1;
      if (bucket.hits > rule.limit) {
        bucket.blockedUntil = new Date(now.getTime() + rule.blockSeconds * 1000);
      }
      await repo.update(
        { key },
        { hits: bucket.hits, windowEndsAt: bucket.windowEndsAt, blockedUntil: bucket.blockedUntil },
      );
      if (!bucket.blockedUntil || bucket.blockedUntil <= now) return 0;
      return Math.ceil((bucket.blockedUntil.getTime() - now.getTime()) / 1000);
    });
  }

  async reset(key: string): Promise<void> {
    await this.db.transaction((m) => m.getRepository(RateLimitBucket).delete({ key }));
  }

  /** Housekeeping: forget windows and blocks that have ended. */
  async purgeExpired(now = new Date()): Promise<void> {
    await this.db.transaction((m) =>
      m
        .getRepository(RateLimitBucket)
        .createQueryBuilder()
        .delete()
        .where({ windowEndsAt: LessThan(now) })
        .andWhere('("blockedUntil" IS NULL OR "blockedUntil" < :now)', { now })
        .execute(),
    );
  }
}
