import { Injectable } from '@nestjs/common';
import { DataSource, Raw, type SelectQueryBuilder } from 'typeorm';
import { AccessLogService } from '../access-log/access-log.service';
import { toItemView, type ItemView } from '../acquisitions/acquisition.mapper';
import { Acquisition } from '../acquisitions/acquisition.entity';
import { AcquisitionsRepository } from '../acquisitions/acquisitions.repository';
import {
  bestTier,
  foldLookalikes,
  identifierKey,
  normaliseIdentifier,
  type MatchTier,
} from '../acquisitions/identifiers';
import { Item } from '../acquisitions/item.entity';
import { inRegister, notPendingSeller } from '../acquisitions/pending-imports';
import { periodOf } from '../common/amsterdam-time';
import { DorError } from '../common/dor-error';
import { pageOf, type Page } from '../common/pagination';
import type { Caller } from '../common/roles';
import { Db } from '../database/db.service';
import { dealerScopeOf, inDealerScope } from '../dealers/dealer-scope';
import { Dealer } from '../dealers/dealer.entity';
import { Disposal } from '../disposals/disposal.entity';
import { Seller } from '../sellers/seller.entity';
import { SellersService, type InspectorSellerView } from '../sellers/sellers.service';
import type { SearchItemsQuery, TopSellersQuery } from './dto/police.dto';
import { keysOf } from './matching.service';
import { itemKeyCondition, textCondition, wordsOf } from './search-sql';
import { ItemKey } from './item-key.entity';

export interface SearchResult {
  item: ItemView;
  matchTier?: MatchTier;
  line: {
    acquisitionId: string;
    acquiredAt: string;
    registeredAt: string;
    late: boolean;
    voided: boolean;
  };
  dealer: { id: string; name: string; city: string; municipalityCode: string };
  seller: InspectorSellerView | null;
}

export interface TopSeller {
  /** Links one seller's lines across dealers (a keyed hash of the ID document, never the number). */
  sellerKey: string;
  name: string | null;
  dateOfBirth: string | null;
  city: string | null;
  documentLast4: string | null;
  items: number;
  dealers: number;
  totalCents: number;
  lastAcquiredAt: string;
  dealerNames: string[];
}

const CRITERIA = [
  'identifier',
  'q',
  'brand',
  'model',
  'category',
  'from',
  'to',
  'dealerId',
  'municipalityCode',
  'sellerName',
  'sellerDateOfBirth',
  'sellerDocumentNumber',
] as const;

/** A line as the search reads it: with its acquisition, dealer, seller and disposal joined. */
type Row = Item & {
  acquisitionRow: Acquisition;
  dealerRow: Dealer;
  sellerRow: Seller | null;
  disposalRow: Disposal | null;
};

const escapeLike = (v: string) => v.replace(/[\\%_]/g, (c) => '\\' + c);

/** Police and BOA search (R12 search, R16, R19 purpose binding, R20 scope). */
@Injectable()
export class SearchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly db: Db,
    private readonly repo: AcquisitionsRepository,
    private readonly sellers: SellersService,
    private readonly accessLog: AccessLogService,
  ) {}

  async items(caller: Caller, q: SearchItemsQuery): Promise<Page<SearchResult>> {
    if (!CRITERIA.some((c) => q[c] !== undefined && q[c] !== '')) {
      throw DorError.invalid('CRITERION_REQUIRED', `Give at least one of ${CRITERIA.join(', ')}`);
    }
    const scope = dealerScopeOf(caller);
    if (q.dealerId) {
      const dealer = await this.dataSource.getRepository(Dealer).findOneBy({ id: q.dealerId });
      if (!dealer || !inDealerScope(scope, dealer)) throw DorError.notFound('Dealer');
    }
    const qb = this.dataSource
      .getRepository(Item)
      .createQueryBuilder('i')
      // One statement reads a page of lines with everything a result shows (each join is 1:1).
      .innerJoinAndMapOne('i.acquisitionRow', Acquisition, 'a', 'a.id = i.acquisitionId')
      .innerJoinAndMapOne('i.dealerRow', Dealer, 'd', 'd.id = i.dealerId')
      .leftJoinAndMapOne('i.sellerRow', Seller, 'sv', 'sv.id = a.sellerId')
      .leftJoinAndMapOne('i.disposalRow', Disposal, 'dp', 'dp.itemId = i.id')
      .where(inRegister('a'));
    if (scope.municipalityCode)
      qb.andWhere('d.municipalityCode = :scopeCode', { scopeCode: scope.municipalityCode });
    let key: string | null = null;
    let asTyped: string | null = null;
    let empty = false;
    if (q.identifier !== undefined) {
      const normalised = normaliseIdentifier(q.identifier);
      key = /^\d{15}$/.test(normalised) ? identifierKey('imei', normalised) : normalised;
      asTyped = normalised;
      if (key.length < 3)
        throw DorError.invalid(
          'IDENTIFIER_TOO_SHORT',
          'identifier must hold at least 3 letters or digits',
          'identifier',
        );
      const folded = foldLookalikes(key);
      const cond = itemKeyCondition(
        this.db.isSqlite ? 'sqlite' : 'postgres',
        'k',
        folded.length >= 6
          ? { contains: [folded], equals: [] }
          : { contains: [], equals: [folded] },
      )!;
      const keyed = qb.subQuery().select('k.itemId').from(ItemKey, 'k').where(cond.sql).getQuery();
      qb.andWhere(`i.id IN ${keyed}`, cond.params);
    }
    if (q.q !== undefined) {
      const cond = textCondition(this.db.isSqlite ? 'sqlite' : 'postgres', 'i', wordsOf(q.q));
      if (cond) qb.andWhere(cond.sql, cond.params);
      else empty = true; // nothing searchable in the words: no results, never an error
    }
    if (q.brand) qb.andWhere('LOWER(i.brand) = :brand', { brand: q.brand.toLowerCase() });
    if (q.model)
      qb.andWhere("LOWER(i.model) LIKE :model ESCAPE '\\'", {
        model: `${escapeLike(q.model.toLowerCase())}%`,
      });
    if (q.category) qb.andWhere('i.category = :category', { category: q.category });
    const { from, to } = periodOf(q.from, q.to);
    if (from) qb.andWhere('a.acquiredAt >= :from', { from });
    if (to) qb.andWhere('a.acquiredAt <= :to', { to });
    if (q.dealerId) qb.andWhere('i.dealerId = :dealerId', { dealerId: q.dealerId });
    if (q.municipalityCode) qb.andWhere('d.municipalityCode = :code', { code: q.municipalityCode });
    if (q.sellerName || q.sellerDateOfBirth || q.sellerDocumentNumber) {
      const s = qb.subQuery().select('s.id').from(Seller, 's');
      if (q.sellerDocumentNumber)
        s.andWhere('s.numberIndex = :numberIndex', {
          numberIndex: this.sellers.crypto.numberIndex(q.sellerDocumentNumber),
        });
      if (q.sellerDateOfBirth) s.andWhere('s.dateOfBirth = :dob', { dob: q.sellerDateOfBirth });
      if (q.sellerName)
        s.andWhere("LOWER(s.lastName) LIKE :sellerName ESCAPE '\\'", {
          sellerName: `${escapeLike(q.sellerName.toLowerCase())}%`,
        });
      qb.andWhere(`a.sellerId IN ${s.getQuery()}`).setParameters(s.getParameters());
    }
    if (empty) qb.andWhere('1 = 0');
    const [items, total] = await this.pageOf(qb, q.page, q.pageSize);
    const results = await this.results(items, key, asTyped);
    await this.accessLog.record(caller, 'search_items', q, loggedQuestion(q), total);
    return pageOf(results, total, q);
  }

  /** A page of results; the total is counted only when the page is full (an identifier search mostly finds a few). */
  private async pageOf(
    qb: SelectQueryBuilder<Item>,
    page: number,
    pageSize: number,
  ): Promise<[Row[], number]> {
    const rows = (await qb
      .clone()
      .orderBy('a.acquiredAt', 'DESC')
      .addOrderBy('i.registerNumber', 'DESC')
      .offset((page - 1) * pageSize)
      .limit(pageSize)
      .getMany()) as Row[];
    const total =
      rows.length < pageSize && (rows.length > 0 || page === 1)
        ? (page - 1) * pageSize + rows.length
        : await qb.getCount();
    return [rows, total];
  }

  /** Lines with their acquisition, dealer and seller (decrypted document number: police and BOA only, R20). */
  private async results(
    rows: Row[],
    key: string | null,
    asTyped: string | null,
  ): Promise<SearchResult[]> {
    const holds = new Map(
      (await this.repo.activeHoldsOf(rows.map((i) => i.id))).map((h) => [h.itemId, h]),
    );
    return rows.map((i) => {
      const a = i.acquisitionRow;
      const d = i.dealerRow;
      // 15 digits compare as an IMEI (first 14), but a serial of 15 digits typed in full is exact too.
      const tier = key
        ? asTyped && bestTier(asTyped, keysOf(i)) === 'exact'
          ? 'exact'
          : bestTier(key, keysOf(i))
        : null;
      return {
        item: toItemView(i, a.voidedAt !== null, i.disposalRow ?? undefined, holds.get(i.id)),
        ...(key ? { matchTier: tier ?? 'possible' } : {}),
        line: {
          acquisitionId: a.id,
          acquiredAt: a.acquiredAt.toISOString(),
          registeredAt: a.registeredAt.toISOString(),
          late: a.late,
          voided: a.voidedAt !== null,
        },
        dealer: {
          id: d.id,
          name: d.companyName,
          city: d.city,
          municipalityCode: d.municipalityCode,
        },
        seller: i.sellerRow ? this.sellers.inspectorView(i.sellerRow) : null,
      };
    });
  }

  /** R16: sellers linked across dealers by their ID document (blind index), above the thresholds, most items first. */
  async topSellers(caller: Caller, q: TopSellersQuery): Promise<Page<TopSeller>> {
    const today = new Date().toISOString().slice(0, 10);
    const fromDay = q.from ?? new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
    const { from, to } = periodOf(fromDay, q.to ?? today);
    const minItems = q.minItems ?? 10;
    const minDealers = q.minDealers ?? 1;
    const minTotal = q.minTotalCents ?? 0;
    const grouped = this.dataSource
      .createQueryBuilder()
      .select('s.documentIndex', 'sellerKey')
      .addSelect('COUNT(i.id)', 'items')
      .addSelect('COUNT(DISTINCT a.dealerId)', 'dealers')
      .addSelect('SUM(i.priceCents)', 'totalCents')
      .addSelect('MAX(a.acquiredAt)', 'lastAcquiredAt')
      .from(Item, 'i')
      .innerJoin(Acquisition, 'a', 'a.id = i.acquisitionId')
      .innerJoin(Seller, 's', 's.id = a.sellerId')
      .where('a.voidedAt IS NULL')
      .andWhere(inRegister('a'))
      .andWhere('s.documentIndex IS NOT NULL')
      .andWhere('a.acquiredAt >= :from AND a.acquiredAt <= :to', { from, to })
      .groupBy('s.documentIndex')
      .having(
        'COUNT(i.id) >= :minItems AND COUNT(DISTINCT a.dealerId) >= :minDealers AND SUM(i.priceCents) >= :minTotal',
        { minItems, minDealers, minTotal },
      );
    const countRow = await this.dataSource
      .createQueryBuilder()
      .select('COUNT(*)', 'n')
      .from(`(${grouped.getQuery()})`, 'g')
      .setParameters(grouped.getParameters())
      .getRawOne<{ n: string | number }>();
    const total = Number(countRow?.n ?? 0);
    const rows = await grouped
      .orderBy('items', 'DESC')
      .addOrderBy('"totalCents"', 'DESC')
      .offset((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .getRawMany<{
        sellerKey: string;
        items: string | number;
        dealers: string | number;
        totalCents: string | number;
        lastAcquiredAt: string | Date;
      }>();
    const out: TopSeller[] = [];
    for (const r of rows) {
      const latest = await this.dataSource.getRepository(Seller).findOne({
        where: { documentIndex: r.sellerKey, id: Raw(notPendingSeller) },
        order: { createdAt: 'DESC' },
      });
      const dealerNames = await this.dataSource
        .createQueryBuilder()
        .select('DISTINCT d.companyName', 'name')
        .from(Acquisition, 'a')
        .innerJoin(Seller, 's', 's.id = a.sellerId')
        .innerJoin(Dealer, 'd', 'd.id = a.dealerId')
        .where('s.documentIndex = :k', { k: r.sellerKey })
        .andWhere(inRegister('a'))
        .andWhere('a.acquiredAt >= :from AND a.acquiredAt <= :to', { from, to })
        .getRawMany<{ name: string }>();
      out.push({
        sellerKey: r.sellerKey,
        name: latest
          ? [latest.firstNames, latest.lastName].filter(Boolean).join(' ') || null
          : null,
        dateOfBirth: latest?.dateOfBirth ?? null,
        city: latest?.city ?? null,
        documentLast4: latest?.idNumberLast4 ?? null,
        items: Number(r.items),
        dealers: Number(r.dealers),
        totalCents: Number(r.totalCents),
        lastAcquiredAt: instantOf(r.lastAcquiredAt).toISOString(),
        dealerNames: dealerNames.map((d) => d.name).sort(),
      });
    }
    await this.accessLog.record(
      caller,
      'top_sellers',
      q,
      { from: fromDay, to: q.to ?? today, minItems, minDealers, minTotalCents: minTotal },
      total,
    );
    return pageOf(out, total, q);
  }
}

/** The question as logged: every criterion, but an ID document number only as its last 4 characters. */
function loggedQuestion(q: SearchItemsQuery): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of CRITERIA) if (q[c] !== undefined) out[c] = q[c];
  if (q.sellerDocumentNumber)
    out.sellerDocumentNumber = `…${normaliseIdentifier(q.sellerDocumentNumber).slice(-4)}`;
  out.page = q.page;
  return out;
}

/** An aggregate's instant: a Date on PostgreSQL, UTC text "YYYY-MM-DD HH:MM:SS.SSS" on SQLite. */
function instantOf(v: string | Date): Date {
  return v instanceof Date
    ? v
    : new Date(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}
