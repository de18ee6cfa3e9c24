import { ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppConfig } from './config/config';
import { AllExceptionsFilter, errorBody, isPortalRequest } from './common/http-exception.filter';
import { countRequests } from './common/event-loop';
import { requestLogger } from './common/request-logger';
import { csrfMiddleware } from './portal/csrf';
import { configureViews } from './portal/views';

/** The project root (holds package.json, views/, public/), from src/ under ts-jest or dist/src/ when built. */
export const ROOT_DIR = findRoot(__dirname);

function findRoot(dir: string): string {
  let d = dir;
  while (!existsSync(join(d, 'package.json'))) {
    const up = dirname(d);
    if (up === d) return process.cwd();
    d = up;
  }
  return d;
}
export const JSON_LIMIT = '1mb';

/**
 * Everything about the HTTP pipeline in one place, used by main.ts and by every test that boots
 * the app: security headers, body parsing with the API's error shape, validation, the exception
 * filter, views, static assets, CSRF for the portal and the OpenAPI document.
 */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          'upgrade-insecure-requests': config.production ? [] : null,
        },
      },
      strictTransportSecurity: config.production,
    }),
  );
  // Long jobs (imports, the feed) make their slices of event-loop work short while requests are answered.
  app.use(countRequests);
  if (config.requestLogs) app.use(requestLogger());
  app.use(cookieParser());
  app.use('/api', requireJsonBody);
  // The national stolen-goods feed may come as one JSON array of up to 100 000 reports (32 MiB):
  // kept as bytes here and parsed by the import job in slices, never in one go on the event loop.
  app.use(
    '/api/v1/stolen-reports/import',
    express.raw({ type: 'application/json', limit: '32mb' }),
  );
  app.use(express.json({ limit: JSON_LIMIT }));
  app.use(express.urlencoded({ extended: false, limit: JSON_LIMIT, parameterLimit: 2000 }));
  app.use(bodyErrors);
  app.use(csrfMiddleware(config));

  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
  configureViews(app, ROOT_DIR);
  app.useStaticAssets(join(ROOT_DIR, 'public'), { prefix: '/assets/', maxAge: '1h' });
  app.useStaticAssets(join(ROOT_DIR, 'node_modules/@utrecht/component-library-css/dist'), {
    prefix: '/assets/utrecht/',
    maxAge: '1d',
  });
  app.useStaticAssets(join(ROOT_DIR, 'node_modules/@utrecht/design-tokens/dist'), {
    prefix: '/assets/tokens/',
    maxAge: '1d',
  });
  SwaggerModule.setup('api/docs', app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
  });
  app.enableShutdownHooks();
}

export function createOpenApiDocument(app: NestExpressApplication): OpenAPIObject {
  const doc = new DocumentBuilder()
    .setTitle('DOR — Digitaal Opkopers Register')
    .setDescription('The register of second-hand dealers’ acquisitions: API v1 (see spec/API.md).')
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, doc);
}

/** 415 for an API write whose body is not JSON (the import upload is multipart). */
function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 ||
    req.headers['transfer-encoding'] !== undefined;
  if (!hasBody || !['POST', 'PUT', 'PATCH'].includes(req.method)) return next();
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json') || type.startsWith('multipart/form-data')) return next();
  res
    .status(415)
    .json(errorBody(415, 'Send the body as application/json', 'UNSUPPORTED_MEDIA_TYPE'));
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** Body-parser failures in the documented error shape: malformed JSON 400, too large 413. */
function bodyErrors(err: BodyParserError, req: Request, res: Response, next: NextFunction): void {
  if (!err) return next();
  const status =
    err.type === 'entity.too.large' ? 413 : err.type === 'encoding.unsupported' ? 415 : 400;
  const message =
    status === 413
      ? `The body is larger than the limit of ${JSON_LIMIT}`
      : err.type === 'entity.parse.failed'
        ? 'The body is not valid JSON'
        : 'The body could not be read';
  if (isPortalRequest(req)) {
    res
      .status(status)
      .type('text/plain; charset=utf-8')
      .send(status === 413 ? 'Het formulier is te groot.' : 'Ongeldig formulier.');
    return;
  }
  res
    .status(status)
    .json(errorBody(status, message, status === 413 ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_BODY'));
}
