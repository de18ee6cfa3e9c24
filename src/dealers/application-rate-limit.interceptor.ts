import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { RateLimitsRepository, type RateLimit } from '../auth/rate-limits.repository';
import { TooManyRequests } from '../auth/too-many-requests';

/** Ten applications an hour from one address is plenty for a real business and stops a flood. */
export const APPLICATION_LIMIT: RateLimit = { limit: 10, windowSeconds: 3600, blockSeconds: 3600 };

@Injectable()
export class ApplicationRateLimitInterceptor implements NestInterceptor {
  constructor(private readonly limits: RateLimitsRepository) {}

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const wait = await this.limits.hit(`applications:address:${req.ip ?? 'unknown'}`, APPLICATION_LIMIT);
    if (wait > 0) throw new TooManyRequests(wait, 'Too many applications from this address; try again later');
    return next.handle();
  }
}

export const ApplicationRateLimit = () => applyDecorators(UseInterceptors(ApplicationRateLimitInterceptor));
