import type { CookieOptions } from 'express';

export const SESSION_COOKIE = 'dor_session';

export function sessionCookieOptions(secure: boolean, maxAgeSeconds: number): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: maxAgeSeconds * 1000 };
}
