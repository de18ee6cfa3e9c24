import { doubleCsrf } from 'csrf-csrf';
import type { NextFunction, Request, Response } from 'express';
import { createHmac } from 'node:crypto';
import type { AppConfig } from '../config/config';
import { isPortalRequest } from '../common/http-exception.filter';
import { SESSION_COOKIE } from '../auth/session-cookie';

export const CSRF_FIELD = '_csrf';

/**
 * The token a form sent: the `_csrf` field of an urlencoded body; for a file upload
 * (multipart/form-data, whose body is parsed only later by the route's interceptor) the `_csrf`
 * query parameter of the form's action URL — and only then.
 */
export function csrfTokenOf(req: Request): string | undefined {
  const fromBody = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  if (typeof fromBody === 'string') return fromBody;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('multipart/form-data')) return undefined;
  const fromQuery = (req.query as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  return typeof fromQuery === 'string' ? fromQuery : undefined;
}

/**
 * CSRF protection for every portal form (double-submit cookie, HMAC-bound to the session).
 * The API is not cookie-authenticated (Bearer tokens only), so it needs none.
 */
export function csrfMiddleware(config: AppConfig) {
  const secret = createHmac('sha256', config.jwtSecret).update('dor-csrf').digest('hex');
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) =>
      (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE] ?? '',
    cookieName: 'dor_csrf',
    cookieOptions: { httpOnly: true, sameSite: 'strict', secure: config.production, path: '/' },
    getCsrfTokenFromRequest: csrfTokenOf,
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!isPortalRequest(req) || req.path.startsWith('/assets/')) return next();
    doubleCsrfProtection(req, res, (err?: unknown) => {
      if (err) {
        res.status(403).type('text/html; charset=utf-8').render('error', {
          title: 'Formulier verlopen',
          status: 403,
          message:
            'Het formulier is verlopen of ongeldig. Ga terug, laad de pagina opnieuw en probeer het nog eens.',
        });
        return;
      }
      res.locals.csrfToken = generateCsrfToken(req, res, { overwrite: false });
      next();
    });
  };
}
