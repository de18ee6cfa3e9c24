import { Injectable } from '@nestjs/common';
import { acquiredAtProblems, CLOCK_SKEW_MS } from '../acquisitions/acquisition-rules';
import { toDisposalView, type DisposalView } from '../acquisitions/acquisition.mapper';
import { AcquisitionsRepository } from '../acquisitions/acquisitions.repository';
import { AcquisitionsService, MAY_AMEND } from '../acquisitions/acquisitions.service';
import { ChainService } from '../audit/chain.service';
import { DorError } from '../common/dor-error';
import type { Caller } from '../common/roles';
import { ValidationFailed, type FieldProblem } from '../common/validation-failed';
import { Db } from '../database/db.service';
import { MatchingService } from '../police/matching.service';
import { disposalViolations } from './disposal-rules';
import { Disposal } from './disposal.entity';
import type { DisposalDto } from './dto/disposal.dto';

export function disposalEventData(d: Disposal) {
  return {
    itemId: d.itemId,
    disposedAt: d.disposedAt,
    kind: d.kind,
    priceCents: d.priceCents,
    buyerName: d.buyerName,
    buyerCity: d.buyerCity,
    violations: d.violations,
    recordedAt: d.recordedAt,
    recordedByUserId: d.recordedByUserId,
  };
}

/** R9: the one disposal of a line — recorded as reported, violations flagged on the line. */
@Injectable()
export class DisposalsService {
  constructor(
    private readonly db: Db,
    private readonly repo: AcquisitionsRepository,
    private readonly acquisitions: AcquisitionsService,
    private readonly chain: ChainService,
    private readonly matching: MatchingService,
  ) {}

  async dispose(
    caller: Caller,
    itemId: string,
    dto: DisposalDto,
    clock: { now?: Date } = {},
  ): Promise<DisposalView> {
    const item = await this.repo.findItem(itemId);
    if (!item || item.dealerId !== caller.dealerId) throw DorError.notFound('Item');
    const dealer = await this.acquisitions.ownDealer(caller, MAY_AMEND);
    const now = clock.now ?? new Date();
    const problems: FieldProblem[] = acquiredAtProblems(dto.disposedAt, now, 'disposedAt').map(
      (p) => (p.code === 'ACQUIRED_IN_FUTURE' ? { ...p, code: 'DISPOSED_IN_FUTURE' } : p),
    );
    const disposedAt = new Date(dto.disposedAt);
    const acquisition = (await this.repo.findById(item.acquisitionId))!;
    if (
      !problems.length &&
      disposedAt.getTime() + CLOCK_SKEW_MS < acquisition.acquiredAt.getTime()
    ) {
      problems.push({
        path: 'disposedAt',
        code: 'DISPOSED_BEFORE_ACQUIRED',
        message: 'disposedAt lies before the item was acquired',
      });
    }
    if (dto.kind === 'sale') {
      if (dto.priceCents === undefined)
        problems.push({
          path: 'priceCents',
          code: 'PRICE_REQUIRED',
          message: 'priceCents is required for a sale',
        });
      if (!dto.buyer?.name)
        problems.push({
          path: 'buyer.name',
          code: 'BUYER_REQUIRED',
          message: 'buyer.name is required for a sale',
        });
      if (!dto.buyer?.city)
        problems.push({
          path: 'buyer.city',
          code: 'BUYER_REQUIRED',
          message: 'buyer.city is required for a sale',
        });
    }
    if (problems.length) throw new ValidationFailed(problems);

    const id = await this.db.transaction(async (m) => {
      const d = await this.repo.lockDealer(m, dealer.id);
      const a = (await this.repo.findById(item.acquisitionId, m))!;
      if (a.voidedAt)
        throw DorError.conflict('ITEM_VOIDED', 'This line was voided; it cannot be disposed of');
      if ((await this.repo.disposalsOf([item.id], m)).length) {
        throw DorError.conflict('ITEM_ALREADY_DISPOSED', 'This item was already disposed of');
      }
      const activeHolds = await this.repo.activeHoldsOf([item.id], m);
      const holdActive = activeHolds.length > 0;
      const disposal = m.getRepository(Disposal).create({
        itemId: item.id,
        dealerId: d.id,
        disposedAt,
        kind: dto.kind,
        priceCents: dto.priceCents ?? null,
        buyerName: dto.buyer?.name ?? null,
        buyerCity: dto.buyer?.city || null,
        violations: disposalViolations(dto.kind, disposedAt, item.sellableFrom, holdActive),
        recordedAt: now,
        recordedByUserId: caller.id,
      });
      await this.db.insert(m, Disposal, disposal);
      await this.chain.append(m, d, 'disposal', disposal.id, disposalEventData(disposal), now);
      if (holdActive) await this.matching.holdDisposal(m, item, activeHolds, now);
      await this.repo.saveDealerCounters(m, d);
      return disposal.id;
    });
    const saved = (await this.repo.disposalsOf([item.id])).find((x) => x.id === id)!;
    return toDisposalView(saved);
  }
}
