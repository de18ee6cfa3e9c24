import type { NextFunction, Request, Response } from 'express';
import type { RequestWithCaller } from './auth.decorators';

/**
 * One JSON line per request: method, path, status, duration, user id and role. Never the query
 * string or the body (they can hold personal data: a seller's name, a document number).
 */
export function requestLogger(
  write: (line: string) => void = (l) => process.stdout.write(l + '\n'),
) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const user = (req as RequestWithCaller).user;
      write(
        JSON.stringify({
          time: new Date().toISOString(),
          level: res.statusCode >= 500 ? 'error' : 'info',
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
          userId: user?.id,
          role: user?.role,
        }),
      );
    });
    next();
  };
}
