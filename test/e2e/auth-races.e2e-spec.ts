import { DataSource } from 'typeorm';
import { HousekeepingService } from '../../src/auth/housekeeping.service';
import { PortalSession } from '../../src/auth/portal-session.entity';
import { RateLimitBucket } from '../../src/auth/rate-limit-bucket.entity';
import { createTestApp, PASSWORD, type TestApp } from '../support/app';
import { makeUser } from '../support/factories';

/** The lockout counts every failure, also when they come at once; ended windows and sessions are forgotten. */
describe('login lockout under parallel attempts, and housekeeping', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('12 wrong passwords at once: every one is counted, at most 5 are answered as a plain failure, none as 409 or 5xx', async () => {
    const user = await makeUser(t, 'police');
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        t.http
          .post('/api/v1/auth/login')
          .send({ email: user.email, password: 'helemaal-verkeerd-1234' }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    const bucket = await t.app
      .get(DataSource)
      .getRepository(RateLimitBucket)
      .findOneByOrFail({ key: `login:account:${user.email}` });
    expect(bucket.hits).toBe(12);
    // Locked now, also for the right password.
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(429);
  });

  it('housekeeping removes ended rate-limit windows and expired portal sessions, and keeps the rest', async () => {
    const ds = t.app.get(DataSource);
    const past = new Date(Date.now() - 3_600_000);
    const future = new Date(Date.now() + 3_600_000);
    await ds.getRepository(RateLimitBucket).insert([
      { key: 'test:ended', hits: 3, windowEndsAt: past, blockedUntil: null },
      { key: 'test:running', hits: 3, windowEndsAt: future, blockedUntil: null },
    ]);
    const user = await makeUser(t, 'admin');
    await ds.getRepository(PortalSession).insert([
      { tokenHash: 'a'.repeat(64), userId: user.id, createdAt: past, expiresAt: past },
      { tokenHash: 'b'.repeat(64), userId: user.id, createdAt: past, expiresAt: future },
    ]);
    await t.app.get(HousekeepingService).run();
    expect(await ds.getRepository(RateLimitBucket).existsBy({ key: 'test:ended' })).toBe(false);
    expect(await ds.getRepository(RateLimitBucket).existsBy({ key: 'test:running' })).toBe(true);
    expect(await ds.getRepository(PortalSession).existsBy({ tokenHash: 'a'.repeat(64) })).toBe(
      false,
    );
    expect(await ds.getRepository(PortalSession).existsBy({ tokenHash: 'b'.repeat(64) })).toBe(
      true,
    );
  });
});
