import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseDatabaseUrl } from '../../src/config/config';

const fresh = () => mkdtempSync(join(tmpdir(), 'dor-config-'));

describe('config (API.md "Running it")', () => {
  it('defaults: port 3000, sqlite:data/dor.sqlite, demo outside production', () => {
    const dir = fresh();
    const c = loadConfig({ DOR_SECRET_DIR: dir });
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({ type: 'sqlite', path: 'data/dor.sqlite' });
    expect(c.demo).toBe(true);
    expect(loadConfig({ DOR_SECRET_DIR: dir, NODE_ENV: 'production' }).demo).toBe(false);
    expect(loadConfig({ DOR_SECRET_DIR: dir, NODE_ENV: 'production', DOR_DEMO: '1' }).demo).toBe(
      true,
    );
  });

  it.each([
    ['sqlite:/var/lib/dor/dor.sqlite', { type: 'sqlite', path: '/var/lib/dor/dor.sqlite' }],
    ['sqlite:data/x.sqlite', { type: 'sqlite', path: 'data/x.sqlite' }],
    [
      'postgres://dor:pw@127.0.0.1:5432/dor',
      { type: 'postgres', url: 'postgres://dor:pw@127.0.0.1:5432/dor' },
    ],
    ['postgresql://127.0.0.1/dor', { type: 'postgres', url: 'postgresql://127.0.0.1/dor' }],
  ])('accepts DATABASE_URL %s', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });

  it.each([
    'mysql://localhost/dor',
    'sqlite:',
    'postgres://',
    'postgres://host',
    'data/dor.sqlite',
    'http://x',
  ])('refuses DATABASE_URL %s with a clear ConfigError', (url) => {
    expect(() => loadConfig({ DATABASE_URL: url, DOR_SECRET_DIR: fresh() })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: url, DOR_SECRET_DIR: fresh() })).toThrow(
      /DATABASE_URL/,
    );
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DOR_DEMO', 'yes'],
    ['JWT_SECRET', 'tooshort'],
    ['DOR_ADMIN_EMAIL', 'a@b.c'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value, DOR_SECRET_DIR: fresh() })).toThrow(ConfigError);
  });

  it('several nodes: a node id (DOR_NODE_ID, else unique per process start) and the job lease (DOR_JOB_LEASE_SECONDS); HOST', () => {
    const dir = fresh();
    const c = loadConfig({ DOR_SECRET_DIR: dir });
    expect(c.jobLeaseSeconds).toBe(60);
    expect(c.host).toBeUndefined();
    expect(loadConfig({ DOR_SECRET_DIR: dir, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(c.nodeId).toContain(String(process.pid));
    expect(loadConfig({ DOR_SECRET_DIR: dir }).nodeId).not.toBe(c.nodeId);
    expect(
      loadConfig({
        DOR_SECRET_DIR: dir,
        DOR_NODE_ID: 'api-2.region-noord',
        DOR_JOB_LEASE_SECONDS: '5',
      }),
    ).toMatchObject({ nodeId: 'api-2.region-noord', jobLeaseSeconds: 5 });
    for (const bad of [
      { DOR_NODE_ID: 'node 1' },
      { DOR_NODE_ID: 'x'.repeat(101) },
      { DOR_JOB_LEASE_SECONDS: '0' },
      { DOR_JOB_LEASE_SECONDS: '1.5' },
    ]) {
      expect(() => loadConfig({ DOR_SECRET_DIR: dir, ...bad })).toThrow(ConfigError);
    }
  });

  it('generates 256-bit secrets once, mode 0600, and reuses them after a restart', () => {
    const dir = fresh();
    const a = loadConfig({ DOR_SECRET_DIR: dir });
    expect(a.jwtSecret).toHaveLength(32);
    expect(a.dataKey).toHaveLength(32);
    expect(a.jwtSecret.equals(a.dataKey)).toBe(false);
    for (const f of ['jwt.key', 'data.key'])
      expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    const b = loadConfig({ DOR_SECRET_DIR: dir });
    expect(b.jwtSecret.equals(a.jwtSecret)).toBe(true);
    expect(b.dataKey.equals(a.dataKey)).toBe(true);
    expect(readFileSync(join(dir, 'jwt.key'), 'utf8').trim()).toBe(a.jwtSecret.toString('hex'));
  });

  it('uses explicit secrets when given and writes none', () => {
    const dir = fresh();
    const key = 'ab'.repeat(32);
    const c = loadConfig({ DOR_SECRET_DIR: dir, JWT_SECRET: key, DOR_DATA_KEY: 'cd'.repeat(32) });
    expect(c.jwtSecret.toString('hex')).toBe(key);
    expect(() => statSync(join(dir, 'jwt.key'))).toThrow();
  });
});
