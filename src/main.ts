import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/config';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`DOR cannot start: ${e.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    bodyParser: false,
    logger: ['error', 'warn', 'log'],
  });
  configureApp(app, config);
  if (config.host) await app.listen(config.port, config.host);
  else await app.listen(config.port);
  // The port actually bound (PORT=0 picks a free one).
  const { port } = app.getHttpServer().address() as AddressInfo;
  new Logger('DOR').log(
    `Serving API and portal on http://${config.host ?? 'localhost'}:${port} (${config.database.type}, node ${config.nodeId})`,
  );
}

void bootstrap().catch((e: unknown) => {
  console.error('DOR failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
