import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Caller, Role } from './roles';

export const IS_PUBLIC = 'dor:isPublic';
export const ROLES_KEY = 'dor:roles';

/** The route needs no sign-in. Every route declares either @Public() or @Roles(…) (deny by default). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The roles allowed on this route; everyone else gets 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export type RequestWithCaller = Request & { user?: Caller; sessionId?: string };

/** The signed-in caller (set by the global AuthGuard). */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): Caller => {
  const req = ctx.switchToHttp().getRequest<RequestWithCaller>();
  if (!req.user) throw new Error('CurrentUser used on a route without a signed-in caller');
  return req.user;
});
