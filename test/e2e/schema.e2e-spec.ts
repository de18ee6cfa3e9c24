import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../../src/config/config';
import { dataSourceOptions } from '../../src/database/database.options';
import { MIGRATIONS } from '../../src/database/migrations';

/** The hand-written migrations must produce exactly the schema the entities describe. */
describe('migrations ↔ entities', () => {
  let dir: string;
  let ds: DataSource;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dor-schema-'));
    const url = process.env.DATABASE_URL?.startsWith('postgres')
      ? process.env.DATABASE_URL
      : `sqlite:${join(dir, 'schema.sqlite')}`;
    ds = new DataSource(dataSourceOptions(parseDatabaseUrl(url)));
    await ds.initialize();
    if (ds.options.type === 'postgres') await ds.dropDatabase();
  });
  afterAll(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every migration on an empty database', async () => {
    const ran = await ds.runMigrations({ transaction: 'each' });
    expect(ran.map((m) => m.name)).toEqual(MIGRATIONS.map((M) => new M().name));
  });

  it('leaves no difference between the entities and the migrated schema', async () => {
    const sql = await ds.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('turns foreign keys on (SQLite) so that a dangling reference is refused', async () => {
    await expect(
      ds.query(
        `INSERT INTO dealer_status_changes (id, "dealerId", "toStatus", reason, "changedAt") VALUES ('x', 'no-such-dealer', 'pending', 'r', '2026-01-01 00:00:00')`,
      ),
    ).rejects.toThrow(/FOREIGN KEY|foreign key/);
  });

  it('every migration can be reverted', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const tables = (
      await ds.createQueryRunner().getTables(['municipalities', 'dealers', 'users'])
    ).map((tb) => tb.name);
    expect(tables).toEqual([]);
  });
});
