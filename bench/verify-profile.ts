/**
 * ts-node bench/verify-profile.ts <dir kept by DOR_BENCH_KEEP=1> — times the chain verification of
 * the largest dealer in a kept benchmark database (run with node --cpu-prof to profile it).
 */
import { NestFactory } from '@nestjs/core';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { ChainService } from '../src/audit/chain.service';
import { loadConfig } from '../src/config/config';
import { Db } from '../src/database/db.service';

async function main(): Promise<void> {
  const dir = process.argv[2];
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: `sqlite:${join(dir, 'dor.sqlite')}`,
    DOR_SECRET_DIR: dir,
    DOR_DEMO: '0',
    DOR_REQUEST_LOGS: '0',
  });
  const app = await NestFactory.createApplicationContext(AppModule.register(config), {
    logger: ['error'],
  });
  const [{ id }] = await app
    .get(Db)
    .manager.query<{ id: string }[]>(`SELECT id FROM dealers ORDER BY "chainLength" DESC LIMIT 1`);
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const verdict = await app.get(ChainService).verify(id);
    const ms = performance.now() - t;
    console.log(
      `${verdict.length} events, valid ${verdict.valid}: ${Math.round(ms)} ms, ${Math.round(verdict.length / (ms / 1000))} events/s`,
    );
  }
  await app.close();
}
void main();
