import { DataSource } from 'typeorm';
import { Db } from '../../src/database/db.service';
import { Municipality } from '../../src/municipalities/municipality.entity';
import { MunicipalitiesService } from '../../src/municipalities/municipalities.service';
import { createTestApp, type TestApp } from '../support/app';
import { bearer, makeUser } from '../support/factories';

/**
 * The data layer (architecture.md "Data access"), on both engines: the transaction travels
 * implicitly, nested transactions join, and a read outside a transaction sees committed data only
 * and does not wait for a writer.
 */
describe('data layer: implicit transactions and committed reads', () => {
  let t: TestApp;
  let db: Db;
  let municipalities: MunicipalitiesService;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(Db);
    municipalities = t.app.get(MunicipalitiesService);
    admin = await bearer(t, (await makeUser(t, 'admin')).email);
  });
  afterAll(() => t.close());

  /** A transaction that inserts a municipality and stays open until released. */
  function openTransaction(code: string, outcome: 'commit' | 'rollback') {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const insertedYet = new Promise<void>((r) => (inserted = r));
    const done = db
      .transaction(async (m) => {
        await m.getRepository(Municipality).insert({ code, name: `Open ${code}` });
        inserted();
        await held;
        if (outcome === 'rollback') throw new Error('rolled back on purpose');
      })
      .catch((e: Error) => e.message);
    return { release, insertedYet, done };
  }

  it('a nested transaction joins the outer one: no deadlock, and both roll back together', async () => {
    const outcome = await db
      .transaction(async () => {
        await db.transaction((m) =>
          m.getRepository(Municipality).insert({ code: 'GM0901', name: 'Genest' }),
        );
        // The outer transaction sees the inner write through any repository, also an injected one.
        expect((await municipalities.find('GM0901')).name).toBe('Genest');
        throw new Error('undo both');
      })
      .catch((e: Error) => e.message);
    expect(outcome).toBe('undo both');
    expect(await db.repo(Municipality).findOneBy({ code: 'GM0901' })).toBeNull();
  });

  it('inside a transaction, a service that was not handed the manager reads the transaction’s own rows', async () => {
    await db.transaction(async (m) => {
      await m.getRepository(Municipality).insert({ code: 'GM0902', name: 'Eigen rij' });
      expect((await municipalities.get('GM0902')).name).toBe('Eigen rij');
      expect(await db.manager.getRepository(Municipality).countBy({ code: 'GM0902' })).toBe(1);
    });
    expect((await municipalities.get('GM0902')).name).toBe('Eigen rij');
  });

  it('a read during another request’s open transaction does not see its rows, and does not wait for it', async () => {
    const open = openTransaction('GM0903', 'rollback');
    await open.insertedYet;
    // Were these reads to wait for the writer, they would wait for ever: the transaction is only
    // released below.
    // The API, a service and a raw repository read: none sees the uncommitted row, all answer now.
    const listed = await t.http
      .get('/api/v1/municipalities?pageSize=100')
      .set('Authorization', admin)
      .expect(200);
    expect(JSON.stringify(listed.body)).not.toContain('GM0903');
    await expect(municipalities.get('GM0903')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await db.repo(Municipality).findOneBy({ code: 'GM0903' })).toBeNull();
    open.release();
    expect(await open.done).toBe('rolled back on purpose');
    expect(await db.repo(Municipality).findOneBy({ code: 'GM0903' })).toBeNull();
  });

  it('a committed row is visible to the next read at once', async () => {
    const open = openTransaction('GM0904', 'commit');
    await open.insertedYet;
    expect(
      await t.app.get(DataSource).getRepository(Municipality).findOneBy({ code: 'GM0904' }),
    ).toBeNull();
    open.release();
    await open.done;
    expect((await municipalities.get('GM0904')).name).toBe('Open GM0904');
    const listed = await t.http
      .get('/api/v1/municipalities?pageSize=100')
      .set('Authorization', admin)
      .expect(200);
    expect(JSON.stringify(listed.body)).toContain('GM0904');
  });

  it('work started inside a transaction that outlives it gets a transaction of its own, not the finished one', async () => {
    let outerDone!: () => void;
    const afterOuter = new Promise<void>((r) => (outerDone = r));
    let later!: Promise<string>;
    await db.transaction(async (m) => {
      await m.getRepository(Municipality).insert({ code: 'GM0907', name: 'Buiten' });
      // Like a job scheduled from inside a transaction: it runs after the transaction has ended.
      later = afterOuter.then(() =>
        db
          .transaction(async (m2) => {
            await m2.getRepository(Municipality).insert({ code: 'GM0908', name: 'Binnen' });
            throw new Error('undo inner');
          })
          .catch((e: Error) => e.message),
      );
    });
    outerDone();
    expect(await later).toBe('undo inner');
    expect(await db.repo(Municipality).findOneBy({ code: 'GM0908' })).toBeNull();
    expect((await db.repo(Municipality).findOneBy({ code: 'GM0907' }))?.name).toBe('Buiten');
  });

  it('a write outside a transaction never lands in another request’s open transaction', async () => {
    const open = openTransaction('GM0906', 'rollback');
    await open.insertedYet;
    // An injected repository written to without db.transaction(): its own statement, after or
    // beside the open transaction — never inside it.
    const outside = t.app
      .get(DataSource)
      .getRepository(Municipality)
      .insert({ code: 'GM0905', name: 'Buiten transactie' })
      .then(() => 'written');
    open.release();
    expect(await open.done).toBe('rolled back on purpose');
    expect(await outside).toBe('written');
    expect((await db.repo(Municipality).findOneBy({ code: 'GM0905' }))?.name).toBe(
      'Buiten transactie',
    );
    expect(await db.repo(Municipality).findOneBy({ code: 'GM0906' })).toBeNull();
  });

  it('transactions that read through injected repositories leave the connection as it was (no growth)', async () => {
    const injected = t.app.get(DataSource).getRepository(Municipality);
    for (let n = 0; n < 60; n++) {
      await db.transaction(async (m) => {
        await m.getRepository(Municipality).update({ code: 'GM0904' }, { name: `Ronde ${n}` });
        expect((await injected.findOneByOrFail({ code: 'GM0904' })).name).toBe(`Ronde ${n}`);
      });
    }
    if (db.isSqlite) {
      // The writer's runner is handed out wrapped; the wrapping must never become its own manager's runner.
      const writer = (db as unknown as { writer: { manager: { queryRunner: unknown } } }).writer;
      expect(writer.manager.queryRunner).toBe(writer);
    }
  });

  it('reads work from the first query after start', async () => {
    const fresh = await createTestApp();
    try {
      expect(await fresh.app.get(Db).repo(Municipality).count()).toBe(0);
      expect(await fresh.app.get(Db).manager.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await fresh.close();
    }
  });

  it('a request’s transaction waits for the transaction running, not for the chunks of long jobs queued before it', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const chunk = (name: string, wait?: Promise<void>) =>
      db.transaction(
        async (m) => {
          if (wait) {
            started();
            await wait;
          }
          await m.getRepository(Municipality).insert({ code: `GM${name}`, name });
          order.push(name);
        },
        { background: true },
      );
    const first = chunk('0911', held);
    await running;
    const queued = [chunk('0912'), chunk('0913')];
    const request = db
      .transaction((m) => m.getRepository(Municipality).insert({ code: 'GM0914', name: 'verzoek' }))
      .then(() => order.push('request'));
    if (db.isSqlite) {
      // One writer: the request is next once the running chunk ends, ahead of the queued chunks.
      await new Promise((r) => setImmediate(r));
      release();
      await Promise.all([first, ...queued, request]);
      expect(order).toEqual(['0911', 'request', '0912', '0913']);
    } else {
      // PostgreSQL runs transactions side by side: the request does not wait for the running chunk at all.
      await request;
      expect(order[0]).not.toBe('0911');
      release();
      await Promise.all([first, ...queued]);
    }
  });
});
