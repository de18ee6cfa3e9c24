import { Injectable, OnModuleInit } from '@nestjs/common';
import { In, IsNull, Not, type EntityManager } from 'typeorm';
import { AcquisitionsRepository } from '../acquisitions/acquisitions.repository';
import type { ChainEvent } from '../audit/chain-event.entity';
import { ChainService } from '../audit/chain.service';
import { inChunks } from '../common/chunks';
import { DorError } from '../common/dor-error';
import type { Caller } from '../common/roles';
import { Db } from '../database/db.service';
import { toHoldView } from '../acquisitions/acquisition.mapper';
import type { HoldView, PlaceHoldDto } from './dto/hold.dto';
import { Hold } from './hold.entity';

const placedData = (h: Hold) => ({
  itemId: h.itemId,
  caseNumber: h.caseNumber,
  reason: h.reason,
  placedAt: h.placedAt,
  placedByUserId: h.placedByUserId,
});
const liftedData = (h: Hold) => ({
  itemId: h.itemId,
  liftedAt: h.liftedAt,
  liftedByUserId: h.liftedByUserId,
});

/**
 * R13: the police place a hold on a line ("niet verkopen — politieonderzoek") and only the police
 * lift it. Both are events in the dealer's hash chain; a disposal during an active hold is flagged
 * `police_hold` (R9).
 */
@Injectable()
export class HoldsService implements OnModuleInit {
  constructor(
    private readonly repo: AcquisitionsRepository,
    private readonly chain: ChainService,
    private readonly db: Db,
  ) {}

  onModuleInit(): void {
    this.chain.registerSource(['hold', 'hold_lifted'], (events, m) => this.expected(events, m));
    this.chain.registerCount('hold', (dealerId, m) => m.getRepository(Hold).countBy({ dealerId }));
    this.chain.registerCount('hold_lifted', (dealerId, m) =>
      m.getRepository(Hold).countBy({ dealerId, liftedAt: Not(IsNull()) }),
    );
  }

  async place(caller: Caller, itemId: string, dto: PlaceHoldDto): Promise<HoldView> {
    const item = await this.repo.findItem(itemId);
    if (!item) throw DorError.notFound('Item');
    const now = new Date();
    const hold = await this.db.transaction(async (m) => {
      const dealer = await this.repo.lockDealer(m, item.dealerId);
      const a = (await this.repo.findById(item.acquisitionId, m))!;
      if (a.voidedAt) throw DorError.conflict('ITEM_VOIDED', 'This line was voided by the dealer');
      if ((await this.repo.disposalsOf([item.id], m)).length)
        throw DorError.conflict(
          'ITEM_DISPOSED',
          'This item was already disposed of; see its disposal for the buyer',
        );
      if (
        await m
          .getRepository(Hold)
          .existsBy({ itemId: item.id, caseNumber: dto.caseNumber, liftedAt: IsNull() })
      ) {
        throw DorError.conflict(
          'HOLD_ACTIVE',
          'This item already has an active hold for this case',
        );
      }
      const h = Object.assign(new Hold(), {
        itemId: item.id,
        dealerId: item.dealerId,
        caseNumber: dto.caseNumber,
        reason: dto.reason,
        placedAt: now,
        placedByUserId: caller.id,
        liftedAt: null,
        liftedByUserId: null,
      });
      await this.db.insert(m, Hold, h);
      await this.chain.append(m, dealer, 'hold', h.id, placedData(h), now);
      await this.repo.saveDealerCounters(m, dealer);
      return h;
    });
    return toHoldView(hold);
  }

  async lift(caller: Caller, itemId: string, holdId: string): Promise<HoldView> {
    const now = new Date();
    const hold = await this.db.transaction(async (m) => {
      const found = await m.getRepository(Hold).findOneBy({ id: holdId, itemId });
      if (!found) throw DorError.notFound('Hold');
      // Lock first, then read again: of two lifts at once only one is written (and chained).
      const dealer = await this.repo.lockDealer(m, found.dealerId);
      const h = (await m.getRepository(Hold).findOneBy({ id: holdId }))!;
      if (h.liftedAt) throw DorError.conflict('HOLD_LIFTED', 'This hold was already lifted');
      h.liftedAt = now;
      h.liftedByUserId = caller.id;
      await m
        .getRepository(Hold)
        .update({ id: h.id }, { liftedAt: now, liftedByUserId: caller.id });
      await this.chain.append(m, dealer, 'hold_lifted', h.id, liftedData(h), now);
      await this.repo.saveDealerCounters(m, dealer);
      return h;
    });
    return toHoldView(hold);
  }

  private async expected(events: ChainEvent[], m: EntityManager): Promise<Map<string, unknown>> {
    const ids = [...new Set(events.map((e) => e.refId))];
    const out = new Map<string, unknown>();
    for (const h of await inChunks(ids, (slice) =>
      m.getRepository(Hold).findBy({ id: In(slice) }),
    )) {
      out.set(`hold:${h.id}`, placedData(h));
      if (h.liftedAt) out.set(`hold_lifted:${h.id}`, liftedData(h));
    }
    return out;
  }
}
