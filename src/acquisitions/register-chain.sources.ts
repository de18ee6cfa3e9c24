import { Injectable, OnModuleInit } from '@nestjs/common';
import { In, IsNull, Not, type EntityManager } from 'typeorm';
import { canonicalJson } from '../audit/canonical';
import type { ChainEvent } from '../audit/chain-event.entity';
import { ChainService } from '../audit/chain.service';
import { Disposal } from '../disposals/disposal.entity';
import { disposalEventData } from '../disposals/disposals.service';
import { Seller } from '../sellers/seller.entity';
import { SellersService } from '../sellers/sellers.service';
import { AcquisitionVersion } from './acquisition-version.entity';
import { Acquisition } from './acquisition.entity';
import { voidEventData } from './acquisitions.service';
import { Item } from './item.entity';
import { acquisitionSnapshot, versionEventData } from './snapshot';
import { chunks, inChunks } from '../common/chunks';

/**
 * What each register event should say, recomputed from the rows as they are now (R11). For the
 * latest version of an acquisition the current lines and seller are compared as well, so that an
 * item or seller row changed directly in the database shows at that acquisition's last event.
 */
@Injectable()
export class RegisterChainSources implements OnModuleInit {
  constructor(
    private readonly chain: ChainService,
    private readonly sellers: SellersService,
  ) {}

  onModuleInit(): void {
    // Rows that no event covers (inserted or voided directly in the database) are counted too.
    // Not the acquisitions of an import still being written: their events lie beyond the chain head.
    this.chain.registerCount('acquisition', (dealerId, m) =>
      m.getRepository(Acquisition).countBy({ dealerId, pendingImportId: IsNull() }),
    );
    this.chain.registerCount('void', (dealerId, m) =>
      m.getRepository(Acquisition).countBy({ dealerId, voidedAt: Not(IsNull()) }),
    );
    this.chain.registerCount('disposal', (dealerId, m) =>
      m.getRepository(Disposal).countBy({ dealerId }),
    );
    this.chain.registerSource(['acquisition', 'correction'], (events, m) =>
      this.versions(events, m),
    );
    this.chain.registerSource(['void'], (events, m) => this.voids(events, m));
    this.chain.registerSource(['disposal'], (events, m) => this.disposals(events, m));
  }

  private async versions(events: ChainEvent[], m: EntityManager): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    const versions = await inChunks(
      events.map((e) => e.refId),
      (ids) => m.getRepository(AcquisitionVersion).findBy({ id: In(ids) }),
    );
    const acquisitionIds = [...new Set(versions.map((v) => v.acquisitionId))];
    const acquisitions = new Map(
      (
        await inChunks(acquisitionIds, (ids) =>
          m.getRepository(Acquisition).findBy({ id: In(ids) }),
        )
      ).map((a) => [a.id, a]),
    );
    // Lines grouped by acquisition once: a lookup per version, not a scan of all lines (the scan made
    // verification quadratic — 821 s for 145k events).
    const items = new Map<string, Item[]>();
    for (const item of await inChunks(acquisitionIds, (ids) =>
      m.getRepository(Item).findBy({ acquisitionId: In(ids) }),
    )) {
      const list = items.get(item.acquisitionId);
      if (list) list.push(item);
      else items.set(item.acquisitionId, [item]);
    }
    const sellers = new Map(
      (
        await inChunks([...new Set([...acquisitions.values()].map((a) => a.sellerId))], (ids) =>
          m.getRepository(Seller).findBy({ id: In(ids) }),
        )
      ).map((s) => [s.id, s]),
    );
    // The latest version of each acquisition from the table itself: a verification walks the chain in
    // windows, and an acquisition's versions may lie in different windows.
    const latest = new Map<string, number>();
    for (const ids of chunks(acquisitionIds)) {
      const rows = await m
        .getRepository(AcquisitionVersion)
        .createQueryBuilder('v')
        .select('v.acquisitionId', 'acquisitionId')
        .addSelect('MAX(v.version)', 'latest')
        .where('v.acquisitionId IN (:...ids)', { ids })
        .groupBy('v.acquisitionId')
        .getRawMany<{ acquisitionId: string; latest: number | string }>();
      for (const r of rows) latest.set(r.acquisitionId, Number(r.latest));
    }
    for (const v of versions) {
      const data = versionEventData(v);
      const a = acquisitions.get(v.acquisitionId);
      if (a && v.version === latest.get(a.id)) {
        if (a.version !== v.version) {
          out.set(`${v.version === 1 ? 'acquisition' : 'correction'}:${v.id}`, {
            tampered: `the acquisition claims version ${a.version}`,
          });
          continue;
        }
        const seller = sellers.get(a.sellerId);
        const current = acquisitionSnapshot(
          a,
          items.get(a.id) ?? [],
          seller ? this.sellers.currentCommitment(seller) : 'missing',
        );
        // The version row holds its snapshot as canonical JSON (acquisitions.service): compare the text.
        if (canonicalJson(current) !== v.snapshot) data.snapshot = current;
      }
      out.set(`${v.version === 1 ? 'acquisition' : 'correction'}:${v.id}`, data);
    }
    return out;
  }

  private async voids(events: ChainEvent[], m: EntityManager): Promise<Map<string, unknown>> {
    const rows = await inChunks(
      events.map((e) => e.refId),
      (ids) => m.getRepository(Acquisition).findBy({ id: In(ids) }),
    );
    return new Map(rows.filter((a) => a.voidedAt).map((a) => [`void:${a.id}`, voidEventData(a)]));
  }

  private async disposals(events: ChainEvent[], m: EntityManager): Promise<Map<string, unknown>> {
    const rows = await inChunks(
      events.map((e) => e.refId),
      (ids) => m.getRepository(Disposal).findBy({ id: In(ids) }),
    );
    return new Map(rows.map((d) => [`disposal:${d.id}`, disposalEventData(d)]));
  }
}
