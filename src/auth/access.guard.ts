import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC, ROLES_KEY, type RequestWithCaller } from '../common/auth.decorators';
import { isPortalRequest } from '../common/http-exception.filter';
import type { Role } from '../common/roles';
import { AuthService } from './auth.service';
import { SESSION_COOKIE } from './session-cookie';

const BearerGuard = AuthGuard('jwt');

/**
 * The global guard, deny by default: a route must declare @Public() or @Roles(…); a route that
 * declares neither is refused for everyone (and the route inventory test fails).
 * API routes authenticate with a Bearer token, portal pages with the session cookie.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly bearer: CanActivate = new BearerGuard();

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const req = ctx.switchToHttp().getRequest<RequestWithCaller>();

    if (isPortalRequest(req)) {
      // Portal pages: the caller (if any) comes from the session cookie, also on public pages.
      const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
      if (token) {
        const caller = await this.auth.callerForSession(token);
        if (caller) {
          req.user = caller;
          req.sessionId = token;
        }
      }
    } else if (!isPublic) {
      await this.bearer.canActivate(ctx); // throws 401 for a missing, bad, expired or revoked token
    }

    if (isPublic) return true;
    if (!roles || roles.length === 0)
      throw new ForbiddenException('This route is not open to any role');
    if (!req.user) throw new UnauthorizedException();
    if (!roles.includes(req.user.role)) throw new ForbiddenException('Your role may not do this');
    return true;
  }
}
