import { DataSource } from 'typeorm';
import { DemoSeeder } from '../../src/demo/demo.seeder';
import { createTestApp, PASSWORD, type TestApp } from '../support/app';

/** Start-up with several nodes on one database (issue 8). */
describe('start-up of several nodes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      DOR_ADMIN_EMAIL: 'beheer@start.example',
      DOR_ADMIN_PASSWORD: PASSWORD,
    });
  });
  afterAll(() => t.close());

  it('nodes starting at the same moment create the configured admin once, and none of them fails', async () => {
    const ds = t.app.get(DataSource);
    expect(await ds.query("SELECT email FROM users WHERE role = 'admin'")).toEqual([
      { email: 'beheer@start.example' },
    ]);
    await ds.query("DELETE FROM users WHERE role = 'admin'");
    // Three nodes' start-up at once: each finds no admin yet, and each tries to create it.
    const seeder = t.app.get(DemoSeeder);
    await Promise.all([seeder.ensureAdmin(), seeder.ensureAdmin(), seeder.ensureAdmin()]);
    expect(await ds.query("SELECT email FROM users WHERE role = 'admin'")).toEqual([
      { email: 'beheer@start.example' },
    ]);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'beheer@start.example', password: PASSWORD })
      .expect(200);
  });
});
