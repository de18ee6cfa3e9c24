import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import { isPortalRequest } from '../common/http-exception.filter';
import { HitsService } from '../police/hits.service';
import type { RequestWithMenuCounts } from './page';

/**
 * Puts the numbers behind menu items on a portal request before its page is rendered, so that
 * page() stays synchronous for every role: for the police, the number of new hits ("Treffers (3)").
 */
@Injectable()
export class MenuCountsInterceptor implements NestInterceptor {
  constructor(private readonly hits: HitsService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<RequestWithMenuCounts>();
      if (req.user?.role === 'police' && isPortalRequest(req)) {
        const count = await this.hits.countNew();
        req.menuCounts = {
          ...req.menuCounts,
          '/treffers': { count, hidden: count === 1 ? 'nieuwe treffer' : 'nieuwe treffers' },
        };
      }
    }
    return next.handle();
  }
}
