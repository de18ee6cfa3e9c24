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

  /** Counts one hit; returns seconds blocked (0 when still within the limit). */
  async hit(key: string, rule: RateLimit, now = new Date()): Promise<number> {
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(RateLimitBucket);
      let bucket = await repo.findOneBy({ key });
      if (!bucket || bucket.windowEndsAt <= now) {
        bucket = repo.create({
          key,
          hits: 0,
          windowEndsAt: new Date(now.getTime() + rule.windowSeconds * 1000),
          blockedUntil: bucket?.blockedUntil && bucket.blockedUntil > now ? bucket.blockedUntil : null,
        });
      }
      bucket.hits += 1;
      if (bucket.hits > rule.limit) {
        bucket.blockedUntil = new Date(now.getTime() + rule.blockSeconds * 1000);
      }
      await repo.save(bucket);
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
