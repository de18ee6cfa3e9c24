import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
export async function createTestApp(env: Record<string, string> = {}, shareDir?: string): Promise<TestApp> {
  const dir = shareDir ?? mkdtempSync(join(tmpdir(), 'dor-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : `sqlite:${join(dir, 'dor.sqlite')}`,
    DOR_SECRET_DIR: dir,
    DOR_DEMO: '0',
    DOR_REQUEST_LOGS: '0',
    DOR_APPLICATIONS_PER_HOUR: '1000',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  configureApp(app, config);
  await app.init();
  return {
    app,
    config,
    dir,
    http: request(app.getHttpServer()),
    close: async () => {
      await app.close();
      if (!shareDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
