import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, Repository } from 'typeorm';
import type { DealerScope } from './dealer-scope';
import { DealerStatusChange } from './dealer-status-change.entity';
import { Dealer, type DealerStatus } from './dealer.entity';

export interface DealerFilter {
  status?: DealerStatus;
  municipalityCode?: string;
  q?: string;
}

@Injectable()
export class DealersRepository {
  constructor(
    @InjectRepository(Dealer) private readonly dealers: Repository<Dealer>,
    @InjectRepository(DealerStatusChange) private readonly changes: Repository<DealerStatusChange>,
  ) {}

  get manager(): EntityManager {
    return this.dealers.manager;
  }

  findById(id: string): Promise<Dealer | null> {
    return this.dealers.findOneBy({ id });
  }

  kvkTaken(kvkNumber: string, m: EntityManager): Promise<boolean> {
    return m.getRepository(Dealer).existsBy({ kvkNumber });
  }

  historyOf(dealerId: string): Promise<DealerStatusChange[]> {
    return this.changes.find({ where: { dealerId }, order: { changedAt: 'ASC' } });
  }

  findPage(
    scope: DealerScope,
    filter: DealerFilter,
    skip: number,
    take: number,
  ): Promise<[Dealer[], number]> {
    const qb = this.dealers.createQueryBuilder('d');
    if (scope.dealerId !== undefined) qb.andWhere('d.id = :sid', { sid: scope.dealerId });
    if (scope.municipalityCode !== undefined)
      qb.andWhere('d.municipalityCode = :smc', { smc: scope.municipalityCode });
    if (filter.status) qb.andWhere('d.status = :status', { status: filter.status });
    if (filter.municipalityCode)
      qb.andWhere('d.municipalityCode = :mc', { mc: filter.municipalityCode });
    if (filter.q) {
      const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where("LOWER(d.companyName) LIKE :like ESCAPE '\\'", { like })
            .orWhere("d.kvkNumber LIKE :like ESCAPE '\\'", { like })
            .orWhere("LOWER(d.city) LIKE :like ESCAPE '\\'", { like }),
        ),
      );
    }
    return qb
      .orderBy('d.companyName', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .skip(skip)
      .take(take)
      .getManyAndCount();
  }

  countByStatus(scope: DealerScope): Promise<{ status: DealerStatus; count: number }[]> {
    const qb = this.dealers
      .createQueryBuilder('d')
      .select('d.status', 'status')
      .addSelect('COUNT(*)', 'count');
    if (scope.dealerId !== undefined) qb.andWhere('d.id = :sid', { sid: scope.dealerId });
    if (scope.municipalityCode !== undefined)
      qb.andWhere('d.municipalityCode = :smc', { smc: scope.municipalityCode });
    return qb
      .groupBy('d.status')
      .getRawMany<{ status: DealerStatus; count: string | number }>()
      .then((rows) => rows.map((r) => ({ status: r.status, count: Number(r.count) })));
  }
}

/**
 * Reads a dealer inside a write transaction; on PostgreSQL it locks the row, so that status
 * changes, register numbers and the hash chain advance one transaction at a time per dealer
 * (SQLite: `Db` serialises every write transaction).
 */
export function lockDealerRow(m: EntityManager, dealerId: string): Promise<Dealer> {
  const pg = m.connection.options.type === 'postgres';
  return m.getRepository(Dealer).findOneOrFail({
    where: { id: dealerId },
    ...(pg ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
}
