import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** Where the register keeps its data: an SQLite file (embedded default) or a PostgreSQL server. */
export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

export interface AppConfig {
  port: number;
  /** Address to listen on (HOST); every interface when not set. */
  host?: string;
  production: boolean;
  database: DatabaseConfig;
  admin?: { email: string; password: string };
  demo: boolean;
  secretDir: string;
  /** 256-bit key that signs access tokens (JWT_SECRET or generated into DOR_SECRET_DIR). */
  jwtSecret: Buffer;
  /** 256-bit data-encryption key for personal data at rest (DOR_DATA_KEY or generated). */
  dataKey: Buffer;
  /** Access-token lifetime in seconds. */
  tokenTtlSeconds: number;
  /** Portal session lifetime in seconds. */
  sessionTtlSeconds: number;
  /** Dealer applications accepted per address per hour (a flood stops with 429). */
  applicationsPerHour: number;
  /** Structured request logs on stdout. */
  requestLogs: boolean;
  /** This process among the nodes on one database: who claimed a job (DOR_NODE_ID, else host, pid and a random part). */
  nodeId: string;
  /** A claimed job is this node's until its lease ends; renewed while it runs (DOR_JOB_LEASE_SECONDS). */
  jobLeaseSeconds: number;
}

export class ConfigError extends Error {}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path)
      throw new ConfigError(
        `DATABASE_URL "${url}": sqlite needs a file path (sqlite:data/dor.sqlite)`,
      );
    return { type: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError(`DATABASE_URL is not a valid postgres URL`);
    }
    if (!parsed.hostname || parsed.pathname.length < 2) {
      throw new ConfigError('DATABASE_URL: a postgres URL needs a host and a database name');
    }
    return { type: 'postgres', url };
  }
  throw new ConfigError(
    'DATABASE_URL must be "sqlite:<file path>" or "postgres://user:pass@host:port/db"',
  );
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT "${value}" is not a port number (0–65535)`);
  }
  return port;
}

function parsePositiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`${name} must be a positive whole number, not "${value}"`);
  return n;
}

function parseNodeId(value: string | undefined): string {
  if (value === undefined || value === '')
    return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`.slice(-100);
  if (!/^[A-Za-z0-9._:-]{1,100}$/.test(value))
    throw new ConfigError('DOR_NODE_ID must be 1–100 letters, digits or . _ : -');
  return value;
}

function parseFlag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw new ConfigError(`${name} must be 1 or 0, not "${value}"`);
}

/** A secret given explicitly (hex or base64, at least 256 bits) or generated once into the secret dir. */
export function loadSecret(
  name: string,
  given: string | undefined,
  secretDir: string,
  file: string,
): Buffer {
  if (given !== undefined && given !== '') {
    const key = /^[0-9a-fA-F]{64,}$/.test(given)
      ? Buffer.from(given, 'hex')
      : Buffer.from(given, 'base64');
    if (key.length < 32)
      throw new ConfigError(`${name} must hold at least 256 bits (64 hex characters)`);
    return key;
  }
  const path = join(secretDir, file);
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    if (key.length < 32) throw new ConfigError(`${path} does not hold a 256-bit key`);
    return key;
  }
  mkdirSync(secretDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return key;
}

/** Reads and validates the environment (API.md "Running it"); throws ConfigError on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const database = parseDatabaseUrl(env.DATABASE_URL || 'sqlite:data/dor.sqlite');
  const secretDir = resolve(env.DOR_SECRET_DIR || 'data');
  const adminEmail = env.DOR_ADMIN_EMAIL;
  const adminPassword = env.DOR_ADMIN_PASSWORD;
  if (Boolean(adminEmail) !== Boolean(adminPassword)) {
    throw new ConfigError('DOR_ADMIN_EMAIL and DOR_ADMIN_PASSWORD go together');
  }
  if (adminPassword && adminPassword.length < 12) {
    throw new ConfigError('DOR_ADMIN_PASSWORD must be at least 12 characters');
  }
  return {
    port: parsePort(env.PORT),
    host: env.HOST || undefined,
    production,
    database,
    admin: adminEmail && adminPassword ? { email: adminEmail, password: adminPassword } : undefined,
    demo: parseFlag('DOR_DEMO', env.DOR_DEMO, !production),
    secretDir,
    jwtSecret: loadSecret('JWT_SECRET', env.JWT_SECRET, secretDir, 'jwt.key'),
    dataKey: loadSecret('DOR_DATA_KEY', env.DOR_DATA_KEY, secretDir, 'data.key'),
    tokenTtlSeconds: 3600,
    sessionTtlSeconds: 8 * 3600,
    applicationsPerHour: parsePositiveInt(
      'DOR_APPLICATIONS_PER_HOUR',
      env.DOR_APPLICATIONS_PER_HOUR,
      10,
    ),
    requestLogs: parseFlag('DOR_REQUEST_LOGS', env.DOR_REQUEST_LOGS, env.NODE_ENV !== 'test'),
    nodeId: parseNodeId(env.DOR_NODE_ID),
    jobLeaseSeconds: parsePositiveInt('DOR_JOB_LEASE_SECONDS', env.DOR_JOB_LEASE_SECONDS, 60),
  };
}
