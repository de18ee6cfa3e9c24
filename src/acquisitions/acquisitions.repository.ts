import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  Brackets,
  EntityManager,
  In,
  IsNull,
  ObjectLiteral,
  Repository,
  SelectQueryBuilder,
} from 'typeorm';
import { Dealer } from '../dealers/dealer.entity';
import { inChunks } from '../common/chunks';
import { DorError } from '../common/dor-error';
import { RetryWhenReady } from '../database/db.service';
import { lockDealerRow } from '../dealers/dealers.repository';
import { Disposal } from '../disposals/disposal.entity';
import { Hold } from '../holds/hold.entity';
import { normaliseIdentifier } from './identifiers';
import { AcquisitionVersion } from './acquisition-version.entity';
import { Acquisition } from './acquisition.entity';
import type { LineStatus } from './dto/acquisition.dto';
import { Item } from './item.entity';
import { inRegister } from './pending-imports';

/** How long a writer waits for an import that holds the dealer's register before answering 409. */
export const REGISTER_WAIT_MS = 60_000;
const REGISTER_POLL_MS = 50;

export interface RegisterFilter {
  from?: Date;
  to?: Date;
  q?: string;
  category?: string;
  status?: LineStatus;
  /** Only lines up to this register number (a stable set to page through while others register). */
  upToNumber?: number;
}

/** The register's reads and the dealer lock its writes start with. */
@Injectable()
export class AcquisitionsRepository {
  constructor(
    @InjectRepository(Acquisition) private readonly acquisitions: Repository<Acquisition>,
    @InjectRepository(Item) private readonly items: Repository<Item>,
    @InjectRepository(AcquisitionVersion) private readonly versions: Repository<AcquisitionVersion>,
    @InjectRepository(Disposal) private readonly disposals: Repository<Disposal>,
    @InjectRepository(Hold) private readonly holds: Repository<Hold>,
  ) {}

  /**
   * Reads the dealer inside a write transaction; on PostgreSQL it locks the row, so that register
   * numbers and the chain advance one transaction at a time per dealer (SQLite: `Db` serialises).
   * While an import holds the dealer's register (its hidden lines take the next numbers and chain
   * events), any other writer rolls back, waits outside the transaction until the import is
   * published or removed (at most `waitMs`, then 409 REGISTER_BUSY) and runs again.
   */
  async lockDealer(
    m: EntityManager,
    dealerId: string,
    opts: { holder?: string; waitMs?: number } = {},
  ): Promise<Dealer> {
    const dealer = await lockDealerRow(m, dealerId);
    const heldBy = dealer.registerHeldBy;
    if (heldBy && heldBy !== opts.holder) {
      const until = Date.now() + (opts.waitMs ?? REGISTER_WAIT_MS);
      throw new RetryWhenReady(
        () => this.released(dealerId, heldBy, until),
        `the register of dealer ${dealerId} is held by import ${heldBy}`,
      );
    }
    return dealer;
  }

  /** Resolves once the import no longer holds the dealer's register (read outside any transaction). */
  private async released(dealerId: string, heldBy: string, until: number): Promise<void> {
    for (;;) {
      const dealer = await this.acquisitions.manager.findOneBy(Dealer, { id: dealerId });
      if (dealer?.registerHeldBy !== heldBy) return;
      if (Date.now() > until) {
        throw DorError.conflict(
          'REGISTER_BUSY',
          'An import is being written into this register; try again in a minute',
        );
      }
      await new Promise((r) => setTimeout(r, REGISTER_POLL_MS));
    }
  }

  async saveDealerCounters(m: EntityManager, d: Dealer): Promise<void> {
    await m.getRepository(Dealer).update(
      { id: d.id },
      {
        lastRegisterNumber: d.lastRegisterNumber,
        chainLength: d.chainLength,
        chainHead: d.chainHead,
      },
    );
  }

  findByExternalRef(dealerId: string, externalRef: string): Promise<Acquisition | null> {
    return this.acquisitions.findOneBy({ dealerId, externalRef, pendingImportId: IsNull() });
  }

  /** In the register only; `m` and `withPending` for an import that checks its own file under the held register. */
  async findByExternalRefs(
    dealerId: string,
    refs: string[],
    m?: EntityManager,
    withPending = false,
  ): Promise<Acquisition[]> {
    const repo = m ? m.getRepository(Acquisition) : this.acquisitions;
    return inChunks(refs, (slice) =>
      repo.findBy({
        dealerId,
        externalRef: In(slice),
        ...(withPending ? {} : { pendingImportId: IsNull() }),
      }),
    );
  }

  findById(id: string, m?: EntityManager): Promise<Acquisition | null> {
    return (m ? m.getRepository(Acquisition) : this.acquisitions).findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<Acquisition[]> {
    return ids.length
      ? this.acquisitions.findBy({ id: In([...new Set(ids)]) })
      : Promise.resolve([]);
  }

  findItem(id: string): Promise<Item | null> {
    return this.items.findOneBy({ id });
  }

  async findItems(ids: string[]): Promise<Item[]> {
    return inChunks([...new Set(ids)], (slice) => this.items.findBy({ id: In(slice) }));
  }

  itemsOf(acquisitionIds: string[], m?: EntityManager): Promise<Item[]> {
    if (!acquisitionIds.length) return Promise.resolve([]);
    return (m ? m.getRepository(Item) : this.items).find({
      where: { acquisitionId: In(acquisitionIds) },
      order: { registerNumber: 'ASC' },
    });
  }

  disposalsOf(itemIds: string[], m?: EntityManager): Promise<Disposal[]> {
    if (!itemIds.length) return Promise.resolve([]);
    return (m ? m.getRepository(Disposal) : this.disposals).findBy({ itemId: In(itemIds) });
  }

  activeHoldsOf(itemIds: string[], m?: EntityManager): Promise<Hold[]> {
    if (!itemIds.length) return Promise.resolve([]);
    return (m ? m.getRepository(Hold) : this.holds).findBy({
      itemId: In(itemIds),
      liftedAt: IsNull(),
    });
  }

  holdsOf(itemId: string): Promise<Hold[]> {
    return this.holds.find({ where: { itemId }, order: { placedAt: 'ASC' } });
  }

  versionsOf(acquisitionId: string): Promise<AcquisitionVersion[]> {
    return this.versions.find({ where: { acquisitionId }, order: { version: 'ASC' } });
  }

  /** Acquisitions of a dealer, newest first, whose lines match the filter. */
  async page(
    dealerId: string,
    f: RegisterFilter,
    skip: number,
    take: number,
  ): Promise<[Acquisition[], number]> {
    const qb = this.acquisitions
      .createQueryBuilder('a')
      .where('a.dealerId = :dealerId', { dealerId })
      .andWhere(inRegister('a'));
    if (f.from) qb.andWhere('a.acquiredAt >= :from', { from: f.from });
    if (f.to) qb.andWhere('a.acquiredAt <= :to', { to: f.to });
    const lineFilter = f.q || f.category || f.status;
    if (lineFilter) {
      qb.andWhere((sub) => {
        const s = sub.subQuery().select('1').from(Item, 'i').where('i.acquisitionId = a.id');
        this.applyLineFilter(s, f, 'i');
        return `EXISTS ${s.getQuery()}`;
      });
    }
    return qb
      .orderBy('a.acquiredAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .skip(skip)
      .take(take)
      .getManyAndCount();
  }

  /** Register lines (items) of a dealer, newest register number first. */
  async linePage(
    dealerId: string,
    f: RegisterFilter,
    skip: number,
    take: number,
  ): Promise<[Item[], number]> {
    const qb = this.items
      .createQueryBuilder('i')
      .innerJoin(Acquisition, 'a', 'a.id = i.acquisitionId')
      .where('i.dealerId = :dealerId', { dealerId })
      .andWhere(inRegister('a'));
    if (f.from) qb.andWhere('a.acquiredAt >= :from', { from: f.from });
    if (f.to) qb.andWhere('a.acquiredAt <= :to', { to: f.to });
    if (f.upToNumber !== undefined)
      qb.andWhere('i.registerNumber <= :upTo', { upTo: f.upToNumber });
    this.applyLineFilter(qb, f, 'i');
    return qb.orderBy('i.registerNumber', 'DESC').skip(skip).take(take).getManyAndCount();
  }

  private applyLineFilter(
    qb: SelectQueryBuilder<ObjectLiteral>,
    f: RegisterFilter,
    i: string,
  ): void {
    if (f.category) qb.andWhere(`${i}.category = :category`, { category: f.category });
    if (f.status) {
      const disposed = `EXISTS (SELECT 1 FROM disposals d WHERE d."itemId" = ${i}.id)`;
      const voided = `EXISTS (SELECT 1 FROM acquisitions va WHERE va.id = ${i}."acquisitionId" AND va."voidedAt" IS NOT NULL)`;
      const held = `EXISTS (SELECT 1 FROM holds h WHERE h."itemId" = ${i}.id AND h."liftedAt" IS NULL)`;
      // The same precedence as lineStatus(): voided, then disposed, then on hold, else in stock.
      switch (f.status) {
        case 'voided':
          qb.andWhere(voided);
          break;
        case 'disposed':
          qb.andWhere(disposed).andWhere(`NOT ${voided}`);
          break;
        case 'on_hold':
          qb.andWhere(held).andWhere(`NOT ${disposed}`).andWhere(`NOT ${voided}`);
          break;
        case 'in_stock':
          qb.andWhere(`NOT ${disposed}`).andWhere(`NOT ${voided}`).andWhere(`NOT ${held}`);
          break;
      }
    }
    if (f.q) {
      const words = f.q.trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
      const key = normaliseIdentifier(f.q);
      qb.andWhere(
        new Brackets((w) => {
          w.where(
            new Brackets((all) => {
              words.forEach((word, n) => {
                const like = `%${word.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
                all.andWhere(
                  `(LOWER(COALESCE(${i}.brand, '')) LIKE :w${n} ESCAPE '\\' OR LOWER(COALESCE(${i}.model, '')) LIKE :w${n} ESCAPE '\\' OR LOWER(COALESCE(${i}.description, '')) LIKE :w${n} ESCAPE '\\')`,
                  { [`w${n}`]: like },
                );
              });
            }),
          );
          if (key.length >= 3) {
            const k = key.length === 15 && /^\d+$/.test(key) ? key.slice(0, 14) : key;
            w.orWhere(
              `(${i}."imeiKey" = :key OR ${i}."imei2Key" = :key OR ${i}."serialKey" = :key OR ${i}."frameKey" = :key OR ${i}."vinKey" = :key)`,
              { key: k },
            );
          }
          if (/^\d{1,9}$/.test(f.q!.trim()))
            w.orWhere(`${i}."registerNumber" = :nr`, { nr: Number(f.q!.trim()) });
          w.orWhere(
            `EXISTS (SELECT 1 FROM acquisitions ea WHERE ea.id = ${i}."acquisitionId" AND ea."externalRef" = :ref)`,
            { ref: f.q!.trim() },
          );
        }),
      );
    }
  }
}
