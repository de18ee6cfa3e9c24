import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Raw, Repository } from 'typeorm';
import { notPendingItem } from '../acquisitions/pending-imports';
import { foldLookalikes, normaliseIdentifier } from '../acquisitions/identifiers';
import { DorError } from '../common/dor-error';
import { pageOf, type Page, type PageQuery } from '../common/pagination';
import type { Caller } from '../common/roles';
import { ValidationFailed } from '../common/validation-failed';
import { Db } from '../database/db.service';
import { SellersService } from '../sellers/sellers.service';
import type { CreateWatchlistDto } from './dto/police.dto';
import { brandModelKey } from './matching.service';
import { Alert, Watchlist } from './watchlist.entity';

export interface WatchlistView {
  id: string;
  kind: Watchlist['kind'];
  label: string;
  note: string | null;
  createdAt: string;
  endedAt: string | null;
  active: boolean;
}

export interface AlertView {
  id: string;
  kind: Alert['kind'];
  message: string;
  itemId: string | null;
  hitId: string | null;
  watchlistId: string | null;
  dealerId: string | null;
  personal: boolean;
  createdAt: string;
}

const toView = (w: Watchlist): WatchlistView => ({
  id: w.id,
  kind: w.kind,
  label: w.label,
  note: w.note,
  createdAt: w.createdAt.toISOString(),
  endedAt: w.endedAt?.toISOString() ?? null,
  active: w.endedAt === null,
});

/** R15: an officer's standing questions; R9/R12/R15 alerts for the police. */
@Injectable()
export class WatchlistsService {
  constructor(
    @InjectRepository(Watchlist) private readonly watchlists: Repository<Watchlist>,
    @InjectRepository(Alert) private readonly alerts: Repository<Alert>,
    private readonly sellers: SellersService,
    private readonly db: Db,
  ) {}

  async create(caller: Caller, dto: CreateWatchlistDto): Promise<WatchlistView> {
    let label: string;
    let matchKey: string;
    switch (dto.kind) {
      case 'identifier': {
        const key = normaliseIdentifier(dto.value ?? '');
        if (key.length < 4)
          throw new ValidationFailed([
            {
              path: 'value',
              code: 'VALUE_REQUIRED',
              message: 'value must hold the identifier (at least 4 letters or digits)',
            },
          ]);
        label = key;
        matchKey = foldLookalikes(/^\d{15}$/.test(key) ? key.slice(0, 14) : key);
        break;
      }
      case 'seller_document': {
        const number = normaliseIdentifier(dto.value ?? '');
        if (number.length < 4)
          throw new ValidationFailed([
            {
              path: 'value',
              code: 'VALUE_REQUIRED',
              message: 'value must hold the ID document number',
            },
          ]);
        label = `document eindigend op ${number.slice(-4)}`;
        matchKey = this.sellers.crypto.numberIndex(number);
        break;
      }
      case 'brand_model': {
        if (!dto.brand)
          throw new ValidationFailed([
            {
              path: 'brand',
              code: 'VALUE_REQUIRED',
              message: 'brand is required for a brand + model watchlist',
            },
          ]);
        label = [dto.brand, dto.model].filter(Boolean).join(' ');
        matchKey = brandModelKey(dto.brand, dto.model);
        break;
      }
    }
    const w = Object.assign(new Watchlist(), {
      kind: dto.kind,
      label: label.slice(0, 200),
      matchKey,
      note: dto.note || null,
      createdByUserId: caller.id,
      createdAt: new Date(),
      endedAt: null,
    });
    await this.db.transaction((m) => this.db.insert(m, Watchlist, w));
    return toView(w);
  }

  /** The caller's own watchlists (an officer's standing questions are their own). */
  async list(caller: Caller): Promise<WatchlistView[]> {
    return (
      await this.watchlists.find({
        where: { createdByUserId: caller.id },
        order: { createdAt: 'DESC' },
      })
    ).map(toView);
  }

  async end(caller: Caller, id: string): Promise<WatchlistView> {
    const w = await this.watchlists.findOneBy({ id, createdByUserId: caller.id });
    if (!w) throw DorError.notFound('Watchlist');
    if (w.endedAt) throw DorError.conflict('ALREADY_ENDED', 'This watchlist was already ended');
    w.endedAt = new Date();
    await this.db.transaction((m) =>
      m.getRepository(Watchlist).update({ id }, { endedAt: w.endedAt }),
    );
    return toView(w);
  }

  /** GET /alerts: the caller's own alerts (watchlists, holds) and those for all police (exact hits, dealer reports), newest first. */
  async alertsFor(caller: Caller, q: PageQuery): Promise<Page<AlertView>> {
    const [rows, total] = await this.alerts.findAndCount({
      // Not the alerts of lines an import is still writing (they appear when it is published).
      where: [
        { userId: caller.id, itemId: Raw(notPendingItem) },
        { userId: IsNull(), itemId: Raw(notPendingItem) },
      ],
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    });
    return pageOf(
      rows.map((a) => ({
        id: a.id,
        kind: a.kind,
        message: a.message,
        itemId: a.itemId,
        hitId: a.hitId,
        watchlistId: a.watchlistId,
        dealerId: a.dealerId,
        personal: a.userId !== null,
        createdAt: a.createdAt.toISOString(),
      })),
      total,
      q,
    );
  }
}
