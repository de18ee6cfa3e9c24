import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { RateLimitsRepository, type RateLimit } from '../auth/rate-limits.repository';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { TooManyRequests } from '../auth/too-many-requests';

@Injectable()
export class ApplicationRateLimitInterceptor implements NestInterceptor {
  private readonly rule: RateLimit;

  /** DOR_APPLICATIONS_PER_HOUR (default 10) from one address is plenty for real businesses. */
  constructor(
    private readonly limits: RateLimitsRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.rule = { limit: config.applicationsPerHour, windowSeconds: 3600, blockSeconds: 3600 };
  }

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const wait = await this.limits.hit(`applications:address:${req.ip ?? 'unknown'}`, this.rule);
    if (wait > 0)
      throw new TooManyRequests(wait, 'Too many applications from this address; try again later');
    return next.handle();
  }
}

export const ApplicationRateLimit = () =>
  applyDecorators(UseInterceptors(ApplicationRateLimitInterceptor));
