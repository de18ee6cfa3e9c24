import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Raw, Repository } from 'typeorm';
import { toItemView, type ItemView } from '../acquisitions/acquisition.mapper';
import { AcquisitionsRepository } from '../acquisitions/acquisitions.repository';
import { notPendingItem } from '../acquisitions/pending-imports';
import { DorError } from '../common/dor-error';
import { pageOf, type Page } from '../common/pagination';
import type { Caller } from '../common/roles';
import { Db } from '../database/db.service';
import { Dealer } from '../dealers/dealer.entity';
import { DealerReport } from './dealer-report.entity';
import type { HitListQuery, UpdateHitDto } from './dto/police.dto';
import { Hit, HitEvent, HIT_STATUSES, type HitStatus } from './hit.entity';
import { StolenReport } from './stolen-report.entity';

export interface HitView {
  id: string;
  source: Hit['source'];
  tier: Hit['tier'];
  status: HitStatus;
  createdAt: string;
  updatedAt: string;
  item: ItemView | null;
  dealer: { id: string; name: string; city: string; municipalityCode: string };
  stolenReport: {
    id: string;
    caseNumber: string;
    identifierType: string;
    identifier: string;
    brand: string | null;
    description: string | null;
    status: string;
  } | null;
  dealerReport: {
    id: string;
    kind: string;
    description: string;
    brand: string | null;
    model: string | null;
    identifier: string | null;
    createdAt: string;
  } | null;
  history: { status: HitStatus; note: string | null; by: string; at: string }[];
}

export interface HitPage extends Page<HitView> {
  counts: { byStatus: Record<HitStatus, number>; byTier: Record<'exact' | 'possible', number> };
}

/** R14: the next statuses a hit may take; confirmed and dismissed are final. */
const NEXT: Record<HitStatus, readonly HitStatus[]> = {
  new: ['investigating', 'confirmed', 'dismissed'],
  investigating: ['investigating', 'confirmed', 'dismissed'],
  confirmed: [],
  dismissed: [],
};

/** R14: the police's hit inbox and the handling of one hit (who, when, status, note). */
@Injectable()
export class HitsService {
  constructor(
    @InjectRepository(Hit) private readonly hits: Repository<Hit>,
    private readonly dataSource: DataSource,
    private readonly repo: AcquisitionsRepository,
    private readonly db: Db,
  ) {}

  /** New hits first (then under investigation, then the rest), newest first within a status. */
  async list(q: HitListQuery): Promise<HitPage> {
    const qb = this.hits.createQueryBuilder('h').where(notPendingItem('h."itemId"'));
    if (q.status) qb.andWhere('h.status = :status', { status: q.status });
    if (q.tier) qb.andWhere('h.tier = :tier', { tier: q.tier });
    const [rows, total] = await qb
      .orderBy("CASE h.status WHEN 'new' THEN 0 WHEN 'investigating' THEN 1 ELSE 2 END", 'ASC')
      .addOrderBy('h.createdAt', 'DESC')
      .addOrderBy('h.id', 'ASC')
      .skip((q.page - 1) * q.pageSize)
      .take(q.pageSize)
      .getManyAndCount();
    return { ...pageOf(await this.views(rows), total, q), counts: await this.counts() };
  }

  /** How many hits are new: the count in the police menu. */
  countNew(): Promise<number> {
    return this.hits.countBy({ status: 'new', itemId: Raw(notPendingItem) });
  }

  async counts(): Promise<HitPage['counts']> {
    const rows = await this.hits
      .createQueryBuilder('h')
      .where(notPendingItem('h."itemId"'))
      .select('h.status', 'status')
      .addSelect('h.tier', 'tier')
      .addSelect('COUNT(*)', 'n')
      .groupBy('h.status')
      .addGroupBy('h.tier')
      .getRawMany<{ status: HitStatus; tier: 'exact' | 'possible'; n: string | number }>();
    const byStatus = Object.fromEntries(HIT_STATUSES.map((s) => [s, 0])) as Record<
      HitStatus,
      number
    >;
    const byTier = { exact: 0, possible: 0 };
    for (const r of rows) {
      byStatus[r.status] += Number(r.n);
      byTier[r.tier] += Number(r.n);
    }
    return { byStatus, byTier };
  }

  async get(id: string): Promise<HitView> {
    const hit = await this.hits.findOneBy({ id });
    const [view] = hit ? await this.views([hit]) : [];
    if (!view) throw DorError.notFound('Hit');
    return view;
  }

  /** Hits on one line (the police's line detail). */
  async ofItem(itemId: string): Promise<HitView[]> {
    return this.views(await this.hits.find({ where: { itemId }, order: { createdAt: 'DESC' } }));
  }

  async update(caller: Caller, id: string, dto: UpdateHitDto): Promise<HitView> {
    if (dto.status === 'dismissed' && !dto.note)
      throw DorError.invalid(
        'NOTE_REQUIRED',
        'Dismissing a hit needs a note: why it is not stolen goods',
        'note',
      );
    if (dto.status === 'new')
      throw DorError.invalid('INVALID_STATUS', 'A hit cannot be set back to new', 'status');
    const now = new Date();
    await this.db.transaction(async (m) => {
      const hit = await m.getRepository(Hit).findOneBy({ id });
      if (!hit) throw DorError.notFound('Hit');
      if (!NEXT[hit.status].includes(dto.status)) {
        throw DorError.conflict(
          'INVALID_TRANSITION',
          `A ${hit.status} hit cannot become ${dto.status}`,
          'status',
        );
      }
      // Only from the status just read: of two officers deciding at once, the second gets 409.
      const changed = await m
        .getRepository(Hit)
        .update({ id, status: hit.status }, { status: dto.status, updatedAt: now });
      if (changed.affected === 0)
        throw DorError.conflict(
          'HIT_CHANGED',
          'Another officer changed this hit meanwhile; read it again',
          'status',
        );
      await this.db.insert(
        m,
        HitEvent,
        Object.assign(new HitEvent(), {
          hitId: id,
          status: dto.status,
          note: dto.note || null,
          userId: caller.id,
          userName: caller.name,
          at: now,
        }),
      );
    });
    return this.get(id);
  }

  /** Views of hits; a hit on a line of an import that is still being written is left out (it appears when the import is published). */
  async views(found: Hit[]): Promise<HitView[]> {
    if (!found.length) return [];
    const items = new Map(
      (await this.repo.findItems(found.flatMap((h) => (h.itemId ? [h.itemId] : [])))).map((i) => [
        i.id,
        i,
      ]),
    );
    const acquisitions = new Map(
      (await this.repo.findByIds([...items.values()].map((i) => i.acquisitionId))).map((a) => [
        a.id,
        a,
      ]),
    );
    const hits = found.filter(
      (h) =>
        !(h.itemId && acquisitions.get(items.get(h.itemId)?.acquisitionId ?? '')?.pendingImportId),
    );
    if (!hits.length) return [];
    const itemIds = hits.map((h) => h.itemId).filter((x): x is string => !!x);
    const disposals = new Map((await this.repo.disposalsOf(itemIds)).map((d) => [d.itemId, d]));
    const holds = new Map((await this.repo.activeHoldsOf(itemIds)).map((h) => [h.itemId, h]));
    const dealers = new Map(
      (
        await this.dataSource
          .getRepository(Dealer)
          .findBy({ id: In([...new Set(hits.map((h) => h.dealerId))]) })
      ).map((d) => [d.id, d]),
    );
    const reportIds = hits.map((h) => h.stolenReportId).filter((x): x is string => !!x);
    const reports = new Map(
      (reportIds.length
        ? await this.dataSource.getRepository(StolenReport).findBy({ id: In(reportIds) })
        : []
      ).map((r) => [r.id, r]),
    );
    const dealerReportIds = hits.map((h) => h.dealerReportId).filter((x): x is string => !!x);
    const dealerReports = new Map(
      (dealerReportIds.length
        ? await this.dataSource.getRepository(DealerReport).findBy({ id: In(dealerReportIds) })
        : []
      ).map((r) => [r.id, r]),
    );
    const events = await this.dataSource
      .getRepository(HitEvent)
      .find({ where: { hitId: In(hits.map((h) => h.id)) }, order: { at: 'ASC' } });
    return hits.map((h) => {
      const item = h.itemId ? items.get(h.itemId) : undefined;
      const a = item ? acquisitions.get(item.acquisitionId) : undefined;
      const d = dealers.get(h.dealerId)!;
      const r = h.stolenReportId ? reports.get(h.stolenReportId) : undefined;
      const dr = h.dealerReportId ? dealerReports.get(h.dealerReportId) : undefined;
      return {
        id: h.id,
        source: h.source,
        tier: h.tier,
        status: h.status,
        createdAt: h.createdAt.toISOString(),
        updatedAt: h.updatedAt.toISOString(),
        item: item
          ? toItemView(item, a?.voidedAt != null, disposals.get(item.id), holds.get(item.id))
          : null,
        dealer: {
          id: d.id,
          name: d.companyName,
          city: d.city,
          municipalityCode: d.municipalityCode,
        },
        stolenReport: r
          ? {
              id: r.id,
              caseNumber: r.caseNumber,
              identifierType: r.identifierType,
              identifier: r.identifier,
              brand: r.brand,
              description: r.description,
              status: r.status,
            }
          : null,
        dealerReport: dr
          ? {
              id: dr.id,
              kind: dr.kind,
              description: dr.description,
              brand: dr.brand,
              model: dr.model,
              identifier: dr.identifier,
              createdAt: dr.createdAt.toISOString(),
            }
          : null,
        history: events
          .filter((e) => e.hitId === h.id)
          .map((e) => ({ status: e.status, note: e.note, by: e.userName, at: e.at.toISOString() })),
      };
    });
  }
}
