import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { page } from '../portal/page';
import type { RequestWithCaller } from './auth.decorators';
import { DorError } from './dor-error';

export interface ErrorBody {
  statusCode: number;
  message: string | string[];
  error: string;
  code?: string;
  /** Per-field detail of a 400 (path, code, message), for software that maps errors to its fields. */
  problems?: { path: string; code: string; message: string }[];
}

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export function errorBody(status: number, message: string | string[], code?: string): ErrorBody {
  const body: ErrorBody = { statusCode: status, message, error: REASON[status] ?? 'Error' };
  if (code) body.code = code;
  return body;
}

/** Maps any thrown value to the API's error shape; never a stack trace, SQL or hash. */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof DorError) {
    return errorBody(exception.status, exception.message, exception.code);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    if (typeof res === 'string') return errorBody(status, res);
    const r = res as Partial<ErrorBody>;
    const body = errorBody(status, r.message ?? exception.message, r.code);
    if (Array.isArray(r.problems)) body.problems = r.problems;
    return body;
  }
  if (isUniqueViolation(exception)) {
    // Two requests raced for the same unique value (KvK number, e-mail, …): the loser gets 409.
    return errorBody(
      HttpStatus.CONFLICT,
      'This conflicts with data that was just stored; check and retry',
      'CONFLICT',
    );
  }
  if (isInvalidCharacter(exception)) {
    // PostgreSQL cannot hold a NUL character in text (SQLite can): a bad request, not a server error.
    return errorBody(
      HttpStatus.BAD_REQUEST,
      'The request holds a character that cannot be stored or searched (NUL)',
      'INVALID_CHARACTER',
    );
  }
  return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
}

/** PostgreSQL's character_not_in_repertoire (22021, e.g. a NUL byte in a text parameter) or untranslatable_character (22P05). */
function isInvalidCharacter(e: unknown): boolean {
  const code =
    e instanceof QueryFailedError
      ? (e.driverError as { code?: string } | undefined)?.code
      : undefined;
  return code === '22021' || code === '22P05';
}

/** SQLite's UNIQUE constraint or PostgreSQL's unique_violation (23505). */
export function isUniqueViolation(e: unknown): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const driverError = e.driverError as { code?: string; message?: string } | undefined;
  return (
    driverError?.code === '23505' ||
    (driverError?.code === 'SQLITE_CONSTRAINT' && /UNIQUE/i.test(driverError.message ?? ''))
  );
}

export function isPortalRequest(req: Request): boolean {
  return !req.path.startsWith('/api/') && req.path !== '/health' && req.path !== '/api';
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) {
      // The error's class and stack go to the server log, never to the client; no request body.
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(`${req.method} ${req.path}: ${err.name}: ${err.message}`, err.stack);
    }
    if (res.headersSent) return;
    if (exception instanceof HttpException) {
      const retryAfter = (exception.getResponse() as { retryAfter?: number }).retryAfter;
      if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
    }
    if (isPortalRequest(req)) {
      if (body.statusCode === 401) {
        res.redirect(303, '/inloggen');
        return;
      }
      res.status(body.statusCode).render(
        'error',
        page(req as RequestWithCaller, portalTitle(body.statusCode), {
          status: body.statusCode,
          message: portalMessage(body.statusCode),
        }),
      );
      return;
    }
    res.status(body.statusCode).json(body);
  }
}

function portalTitle(status: number): string {
  switch (status) {
    case 403:
      return 'Geen toegang';
    case 404:
      return 'Niet gevonden';
    case 429:
      return 'Even geduld';
    default:
      return 'Er ging iets mis';
  }
}

function portalMessage(status: number): string {
  switch (status) {
    case 403:
      return 'U heeft geen toegang tot deze pagina.';
    case 404:
      return 'Deze pagina bestaat niet of u heeft er geen toegang toe.';
    case 429:
      return 'Te veel pogingen. Probeer het over enkele minuten opnieuw.';
    default:
      return status >= 500
        ? 'Er ging iets mis aan onze kant. Probeer het later opnieuw.'
        : 'Het verzoek kon niet worden verwerkt.';
  }
}
