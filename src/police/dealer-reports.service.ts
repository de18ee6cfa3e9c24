import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AcquisitionsRepository } from '../acquisitions/acquisitions.repository';
import { AcquisitionsService, MAY_AMEND } from '../acquisitions/acquisitions.service';
import { DorError } from '../common/dor-error';
import type { Caller } from '../common/roles';
import { Db } from '../database/db.service';
import { DealerReport } from './dealer-report.entity';
import type { CreateDealerReportDto } from './dto/police.dto';
import { Hit, HitEvent } from './hit.entity';
import { Alert } from './watchlist.entity';

export interface DealerReportView {
  id: string;
  kind: DealerReport['kind'];
  itemId: string | null;
  description: string;
  brand: string | null;
  model: string | null;
  identifier: string | null;
  createdAt: string;
}

const toView = (r: DealerReport): DealerReportView => ({
  id: r.id,
  kind: r.kind,
  itemId: r.itemId,
  description: r.description,
  brand: r.brand,
  model: r.model,
  identifier: r.identifier,
  createdAt: r.createdAt.toISOString(),
});

/** R17: a dealer's report reaches the police inbox like a hit (tier possible) and alerts the police. */
@Injectable()
export class DealerReportsService {
  constructor(
    @InjectRepository(DealerReport) private readonly reports: Repository<DealerReport>,
    private readonly acquisitions: AcquisitionsService,
    private readonly repo: AcquisitionsRepository,
    private readonly db: Db,
  ) {}

  async create(caller: Caller, dto: CreateDealerReportDto): Promise<DealerReportView> {
    const dealer = await this.acquisitions.ownDealer(caller, MAY_AMEND);
    if (dto.itemId) {
      const item = await this.repo.findItem(dto.itemId);
      if (!item || item.dealerId !== dealer.id) throw DorError.notFound('Item');
    }
    const now = new Date();
    const report = Object.assign(new DealerReport(), {
      dealerId: dealer.id,
      userId: caller.id,
      kind: dto.kind,
      itemId: dto.itemId ?? null,
      description: dto.description,
      brand: dto.brand || null,
      model: dto.model || null,
      identifier: dto.identifier || null,
      createdAt: now,
    });
    const hit = Object.assign(new Hit(), {
      source: 'dealer_report',
      tier: 'possible',
      status: 'new',
      itemId: report.itemId,
      dealerId: dealer.id,
      stolenReportId: null,
      dealerReportId: report.id,
      createdAt: now,
      updatedAt: now,
    });
    const what = dto.kind === 'refused_offer' ? 'geweigerd aanbod' : 'vermoedelijk gestolen goed';
    await this.db.transaction(async (m) => {
      await this.db.insert(m, DealerReport, report);
      await this.db.insert(m, Hit, hit);
      await this.db.insert(
        m,
        HitEvent,
        Object.assign(new HitEvent(), {
          hitId: hit.id,
          status: 'new',
          note: null,
          userId: caller.id,
          userName: `${caller.name} (${dealer.companyName})`.slice(0, 200),
          at: now,
        }),
      );
      await this.db.insert(
        m,
        Alert,
        Object.assign(new Alert(), {
          kind: 'dealer_report',
          userId: null,
          watchlistId: null,
          hitId: hit.id,
          itemId: report.itemId,
          dealerId: dealer.id,
          message: `Melding van ${dealer.companyName}: ${what}`.slice(0, 300),
          createdAt: now,
        }),
      );
    });
    return toView(report);
  }

  /** The dealer's own reports, newest first. */
  async own(caller: Caller): Promise<DealerReportView[]> {
    if (!caller.dealerId) return [];
    return (
      await this.reports.find({
        where: { dealerId: caller.dealerId },
        order: { createdAt: 'DESC' },
        take: 50,
      })
    ).map(toView);
  }
}
