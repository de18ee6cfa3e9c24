import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { Db } from '../database/db.service';
import { PortalSession } from './portal-session.entity';
import { RateLimitsRepository } from './rate-limits.repository';

const HOURLY = 3_600_000;

/** Forgets ended rate-limit windows and expired portal sessions: at start and every hour. */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly rateLimits: RateLimitsRepository,
    private readonly db: Db,
  ) {}

  onApplicationBootstrap(): void {
    void this.run();
    this.timer = setInterval(() => void this.run(), HOURLY);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async run(now = new Date()): Promise<void> {
    try {
      await this.rateLimits.purgeExpired(now);
      await this.db.transaction((m) =>
        m.getRepository(PortalSession).delete({ expiresAt: LessThan(now) }),
      );
    } catch {
      // Housekeeping never stops the service; the next hour tries again.
    }
  }
}
