import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { AppModule } from '../../src/app.module';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { configureApp } from '../../src/configure-app';

export const PASSWORD = 'correct horse battery staple';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: TestAgent;
  dir: string;
  close(): Promise<void>;
}

/**
 * Boots the whole application exactly as main.ts does (configureApp), on its own fresh SQLite
 * file — or on PostgreSQL when DATABASE_URL says so — with its own secrets directory.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  shareDir?: string,
): Promise<TestApp> {
  const dir = shareDir ?? mkdtempSync(join(tmpdir(), 'dor-test-'));
  const pg = process.env.DATABASE_URL?.startsWith('postgres')
    ? await postgresDatabaseFor(dir)
    : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: pg ?? `sqlite:${join(dir, 'dor.sqlite')}`,
    DOR_SECRET_DIR: dir,
    DOR_DEMO: '0',
    DOR_REQUEST_LOGS: '0',
    DOR_APPLICATIONS_PER_HOUR: '1000',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register(config)],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: ['error'],
  });
  configureApp(app, config);
  await app.init();
  return {
    app,
    config,
    dir,
    http: request(app.getHttpServer()),
    close: async () => {
      await app.close();
      if (!shareDir) {
        rmSync(dir, { recursive: true, force: true });
        if (pg) await dropPostgresDatabase(pg);
      }
    },
  };
}

/**
 * With DATABASE_URL=postgres://… every test app gets its own database (named after its temp dir,
 * so a second app on the same dir shares it, like a second server process on one database).
 */
async function postgresDatabaseFor(dir: string): Promise<string> {
  const url = new URL(process.env.DATABASE_URL!);
  const name = `dor_${dir
    .replace(/[^a-zA-Z0-9]/g, '')
    .slice(-20)
    .toLowerCase()}`;
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropPostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
