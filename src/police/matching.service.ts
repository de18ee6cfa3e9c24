import { Injectable } from '@nestjs/common';
import { In, IsNull, Not, type EntityManager } from 'typeorm';
import {
  bestTier,
  containedSubkeys,
  foldLookalikes,
  keySuffixes,
  type MatchTier,
} from '../acquisitions/identifiers';
import { Acquisition } from '../acquisitions/acquisition.entity';
import { Item } from '../acquisitions/item.entity';
import { chunks, IN_CHUNK } from '../common/chunks';
import { Db } from '../database/db.service';
import type { Seller } from '../sellers/seller.entity';
import { Hit, HitEvent } from './hit.entity';
import { ItemKey } from './item-key.entity';
import {
  guardLock,
  lineLocks,
  LINE_LOCK_BUDGET,
  normalise,
  REPORT_LOCK_BUDGET,
  reportLocks,
  type MatchLock,
} from './match-locks';
import { itemKeyCondition, reportContainsCondition, type Dialect } from './search-sql';
import { StolenReport } from './stolen-report.entity';
import { Alert, Watchlist } from './watchlist.entity';

const PHRASE_CHUNK = 100;

/** The comparison keys of a line (null ones left out). */
export function keysOf(i: Item): string[] {
  return [i.imeiKey, i.imei2Key, i.serialKey, i.frameKey, i.vinKey].filter((k): k is string => !!k);
}

/** "brand|model" in lower case: what a brand + model watchlist compares. */
export function brandModelKey(
  brand: string | null | undefined,
  model: string | null | undefined,
): string {
  return `${(brand ?? '').trim().toLowerCase()}|${(model ?? '').trim().toLowerCase()}`.slice(
    0,
    200,
  ); // the column's length
}

const SYSTEM = 'DOR (automatische vergelijking)';

/** What a transaction holds of the matching locks (PostgreSQL), so that a later call in it takes only what is new. */
interface HeldLocks {
  /** The guard, exclusively: no report transaction runs meanwhile, so lines need no further locks. */
  many: boolean;
  ids: Set<string>;
}

/**
 * R12 both ways, R15 and the alerts: every new line against the active stolen reports and the
 * watchlists, every new stolen report against every line still in the register. Runs inside the
 * writing transaction, so a line and its hits commit together; the dealer never sees a hit.
 */
@Injectable()
export class MatchingService {
  private readonly held = new WeakMap<object, HeldLocks>();

  constructor(private readonly db: Db) {}

  private get dialect(): Dialect {
    return this.db.isSqlite ? 'sqlite' : 'postgres';
  }

  /**
   * New lines (just inserted in `m`): hits for suspicious lines (R5) and for stolen reports
   * (R12), alerts for exact hits and for watchlists (R15). Returns the hits created.
   */
  async linesRegistered(
    m: EntityManager,
    lines: { item: Item; seller: Seller }[],
    now: Date,
    opts: { corrected?: boolean } = {},
  ): Promise<Hit[]> {
    if (!lines.length) return [];
    await this.lockForLines(
      m,
      lines.flatMap(({ item }) => keysOf(item)),
    );
    // A corrected line was matched before: only what its new data add.
    const known = opts.corrected
      ? await this.knownHits(
          m,
          lines.map(({ item }) => item.id),
        )
      : new Set<string>();
    await this.writeKeys(
      m,
      lines.map(({ item }) => item),
      opts.corrected ?? false,
    );
    const found = new HitBatch(now);
    const addHit = (
      item: Item,
      source: Hit['source'],
      tier: MatchTier,
      report: StolenReport | null,
    ) => {
      if (!known.has(`${item.id}|${report?.id ?? source}`)) found.add(item, source, tier, report);
    };
    for (const { item } of lines) if (item.suspicious) addHit(item, 'suspicious', 'possible', null);

    const withKeys = lines.filter(({ item }) => keysOf(item).length);
    const reports = await this.reportsMatching(
      m,
      withKeys.flatMap(({ item }) => keysOf(item)),
    );
    for (const { item } of withKeys) {
      for (const r of reports) {
        const tier = bestTier(r.identifierKey, keysOf(item));
        if (tier) addHit(item, 'stolen_report', tier, r);
      }
    }
    found.alerts.push(...(await this.watchAlerts(m, lines, now, !!opts.corrected)));
    return found.write(m, this.db);
  }

  /** New stolen reports (just inserted in `m`) against every line still in the register (not voided). */
  async reportsAdded(m: EntityManager, reports: StolenReport[], now: Date): Promise<Hit[]> {
    if (!reports.length) return [];
    await this.take(m, [guardLock(false), ...reports.flatMap((r) => reportLocks(r.identifierKey))]);
    const found = new HitBatch(now);
    for (const chunk of chunks(reports, 200)) {
      const items = await this.itemsRelatedTo(
        m,
        chunk.map((r) => r.foldedKey),
      );
      if (!items.length) continue;
      const voided = await this.voidedAcquisitions(m, items);
      for (const item of items) {
        if (voided.has(item.acquisitionId)) continue;
        for (const r of chunk) {
          const tier = bestTier(r.identifierKey, keysOf(item));
          if (tier) found.add(item, 'stolen_report', tier, r);
        }
      }
    }
    return found.write(m, this.db);
  }

  /**
   * For a transaction that will register many lines in several calls (a dealer's CSV import): the
   * guard lock exclusively now, so that its calls need no locks of their own (PostgreSQL). Take it
   * after the dealer row, as every line transaction does.
   */
  async manyLinesFollow(m: EntityManager): Promise<void> {
    if (this.db.isSqlite) return;
    const held = this.heldBy(m);
    if (held.many) return;
    await this.take(m, [guardLock(true)]);
    held.many = true;
  }

  /**
   * Stolen reports in groups that each fit in one transaction's lock budget (PostgreSQL; SQLite
   * needs no locks), at most `max` per group.
   */
  lockGroups<T>(items: T[], reportOf: (x: T) => StolenReport, max: number): T[][] {
    const groups: T[][] = [];
    let group: T[] = [];
    let locks = 0;
    for (const x of items) {
      const n = this.db.isSqlite ? 0 : reportLocks(reportOf(x).identifierKey).length;
      if (group.length && (group.length >= max || locks + n > REPORT_LOCK_BUDGET)) {
        groups.push(group);
        group = [];
        locks = 0;
      }
      group.push(x);
      locks += n;
    }
    if (group.length) groups.push(group);
    return groups;
  }

  /**
   * PostgreSQL: the locks of these line keys (see match-locks.ts), or the guard exclusively when
   * they are too many. SQLite runs one write transaction at a time already (Db.transaction).
   */
  private async lockForLines(m: EntityManager, keys: string[]): Promise<void> {
    if (this.db.isSqlite || this.heldBy(m).many) return;
    const locks = lineLocks(keys);
    if (normalise(locks).length > LINE_LOCK_BUDGET) await this.manyLinesFollow(m);
    else await this.take(m, locks);
  }

  /**
   * Takes the locks not yet held by this transaction, in one statement, in the global order
   * (space, key); each is held until the transaction ends. A statement after it sees what every
   * transaction it waited for committed.
   */
  private async take(m: EntityManager, wanted: MatchLock[]): Promise<void> {
    if (this.db.isSqlite) return;
    const held = this.heldBy(m);
    const todo = normalise(wanted).filter(
      (l) => !held.ids.has(`${l.space}:${l.key}:${l.exclusive}`),
    );
    if (!todo.length) return;
    await m.query(
      `SELECT count(CASE WHEN x THEN pg_advisory_xact_lock(s, k) ELSE pg_advisory_xact_lock_shared(s, k) END)
         FROM (SELECT s, k, x FROM unnest($1::int[], $2::int[], $3::boolean[]) AS t(s, k, x) ORDER BY s, k OFFSET 0) AS ordered`,
      [todo.map((l) => l.space), todo.map((l) => l.key), todo.map((l) => l.exclusive)],
    );
    for (const l of todo) held.ids.add(`${l.space}:${l.key}:${l.exclusive}`);
  }

  /** The locks this transaction holds (keyed by its query runner). */
  private heldBy(m: EntityManager): HeldLocks {
    const tx = m.queryRunner;
    if (!tx) throw new Error('Matching runs inside the writing transaction');
    let held = this.held.get(tx);
    if (!held) this.held.set(tx, (held = { many: false, ids: new Set() }));
    return held;
  }

  /** R9/R13: a disposal during a hold alerts the police at once (the officer who placed it, and the inbox). */
  async holdDisposal(
    m: EntityManager,
    item: Item,
    holds: { caseNumber: string; placedByUserId: string }[],
    now: Date,
  ): Promise<void> {
    const alerts = holds.map((h) =>
      Object.assign(new Alert(), {
        kind: 'hold_disposal',
        userId: h.placedByUserId,
        watchlistId: null,
        hitId: null,
        itemId: item.id,
        dealerId: item.dealerId,
        message: `Regel ${item.registerNumber} is afgevoerd terwijl uw blokkade (zaak ${h.caseNumber}) actief is`,
        createdAt: now,
      }),
    );
    await this.db.insert(m, Alert, alerts);
  }

  /** The lines' folded keys for the reverse lookup (a correction replaces a line's keys). */
  private async writeKeys(m: EntityManager, items: Item[], replace: boolean): Promise<void> {
    if (replace)
      for (const part of chunks(
        items.map((i) => i.id),
        IN_CHUNK,
      ))
        await m.getRepository(ItemKey).delete({ itemId: In(part) });
    const rows = items.flatMap((i) =>
      keySuffixes(keysOf(i)).map((r) => Object.assign(new ItemKey(), { itemId: i.id, ...r })),
    );
    await this.db.insert(m, ItemKey, rows);
  }

  /** Active stolen reports whose key relates to one of these item keys (candidates; tiers are decided by the caller). */
  private async reportsMatching(m: EntityManager, keys: string[]): Promise<StolenReport[]> {
    if (!keys.length) return [];
    const folded = [...new Set(keys.map(foldLookalikes))];
    const found = new Map<string, StolenReport>();
    // A report equal to a key or contained in it (its folded key is one of the key's sub-keys: B-tree),
    // or containing a key of at least 6 characters (trigram index) — one statement for a single line.
    const lookups = chunks(
      [...new Set(folded.flatMap((f) => [f, ...containedSubkeys(f)]))],
      IN_CHUNK,
    );
    const containing = chunks(
      folded.filter((f) => f.length >= 6),
      PHRASE_CHUNK,
    );
    for (let n = 0; n < Math.max(lookups.length, containing.length); n++) {
      const qb = m.getRepository(StolenReport).createQueryBuilder('r').where("r.status = 'active'");
      const terms: string[] = [];
      if (lookups[n]) {
        terms.push('r.foldedKey IN (:...lookups)');
        qb.setParameter('lookups', lookups[n]);
      }
      const cond = containing[n] ? reportContainsCondition(this.dialect, 'r', containing[n]) : null;
      if (cond) {
        terms.push(cond.sql);
        qb.setParameters(cond.params);
      }
      for (const r of await qb.andWhere(`(${terms.join(' OR ')})`).getMany()) found.set(r.id, r);
    }
    return [...found.values()];
  }

  /**
   * Lines with a key equal to, contained in (≥ 6) or containing (≥ 6) one of these folded keys, all
   * through the B-tree of `item_keys`: whole keys equal to the value or to one of its sub-keys, and
   * suffixes starting with the value.
   */
  private async itemsRelatedTo(m: EntityManager, folded: string[]): Promise<Item[]> {
    const ids = new Set<string>();
    const equals = chunks(
      [...new Set(folded.flatMap((f) => [f, ...containedSubkeys(f)]))],
      IN_CHUNK,
    );
    const contains = chunks([...new Set(folded.filter((f) => f.length >= 6))], PHRASE_CHUNK);
    for (let n = 0; n < Math.max(equals.length, contains.length); n++) {
      const cond = itemKeyCondition(this.dialect, 'k', {
        contains: contains[n] ?? [],
        equals: equals[n] ?? [],
      })!;
      // No DISTINCT: with it SQLite scans the primary key instead of OR-ing the suffix index ranges.
      const rows = await m
        .getRepository(ItemKey)
        .createQueryBuilder('k')
        .select('k.itemId', 'itemId')
        .where(cond.sql, cond.params)
        .getRawMany<{ itemId: string }>();
      for (const r of rows) ids.add(r.itemId);
    }
    const found: Item[] = [];
    for (const part of chunks([...ids], IN_CHUNK))
      found.push(...(await m.getRepository(Item).findBy({ id: In(part) })));
    return found;
  }

  private async knownHits(m: EntityManager, itemIds: string[]): Promise<Set<string>> {
    const rows = await m.getRepository(Hit).find({
      select: { itemId: true, stolenReportId: true, source: true },
      where: { itemId: In(itemIds) },
    });
    return new Set(rows.map((h) => `${h.itemId}|${h.stolenReportId ?? h.source}`));
  }

  private async voidedAcquisitions(m: EntityManager, items: Item[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunks([...new Set(items.map((i) => i.acquisitionId))], IN_CHUNK)) {
      for (const a of await m
        .getRepository(Acquisition)
        .find({ select: { id: true }, where: { id: In(part), voidedAt: Not(IsNull()) } }))
        out.add(a.id);
    }
    return out;
  }

  /**
   * R15: the watchers whose identifier, seller document or brand + model the new lines match. A
   * corrected line alerts only for a watchlist it did not alert before (a changed price is no new match).
   */
  private async watchAlerts(
    m: EntityManager,
    lines: { item: Item; seller: Seller }[],
    now: Date,
    corrected: boolean,
  ): Promise<Alert[]> {
    const repo = m.getRepository(Watchlist);
    const folded = [
      ...new Set(
        lines.flatMap(({ item }) =>
          keysOf(item).flatMap((k) => [foldLookalikes(k), ...containedSubkeys(foldLookalikes(k))]),
        ),
      ),
    ];
    const numbers = [
      ...new Set(lines.map(({ seller }) => seller.numberIndex).filter((x): x is string => !!x)),
    ];
    const models = [
      ...new Set(
        lines.flatMap(({ item }) =>
          item.brand ? [brandModelKey(item.brand, item.model), brandModelKey(item.brand, '')] : [],
        ),
      ),
    ];
    // One statement for the usual few lines; chunked when a batch brings many keys.
    const kinds: [Watchlist['kind'], string[][]][] = [
      ['identifier', chunks(folded, IN_CHUNK)],
      ['seller_document', chunks(numbers, IN_CHUNK)],
      ['brand_model', chunks(models, IN_CHUNK)],
    ];
    const watches = new Map<string, Watchlist>();
    for (let n = 0; kinds.some(([, parts]) => parts[n]); n++) {
      const where = kinds
        .filter(([, parts]) => parts[n])
        .map(([kind, parts]) => ({ kind, matchKey: In(parts[n]), endedAt: IsNull() }));
      for (const w of await repo.findBy(where)) watches.set(w.id, w);
    }
    if (!watches.size) return [];
    const alerted = new Set<string>();
    if (corrected) {
      for (const part of chunks(
        lines.map(({ item }) => item.id),
        IN_CHUNK,
      )) {
        for (const a of await m.getRepository(Alert).find({
          select: { watchlistId: true, itemId: true },
          where: { kind: 'watchlist', itemId: In(part) },
        }))
          alerted.add(`${a.watchlistId}|${a.itemId}`);
      }
    }
    const alerts: Alert[] = [];
    for (const { item, seller } of lines) {
      for (const w of watches.values()) {
        if (alerted.has(`${w.id}|${item.id}`)) continue;
        let why: string | null = null;
        if (
          w.kind === 'identifier' &&
          keysOf(item).some((k) => {
            const f = foldLookalikes(k);
            return f === w.matchKey || (w.matchKey.length >= 6 && f.includes(w.matchKey));
          })
        )
          why = `identificatienummer ${w.label}`;
        if (w.kind === 'seller_document' && seller.numberIndex === w.matchKey)
          why = `verkoper met ${w.label}`;
        if (
          w.kind === 'brand_model' &&
          item.brand &&
          [brandModelKey(item.brand, item.model), brandModelKey(item.brand, '')].includes(
            w.matchKey,
          )
        )
          why = w.label;
        if (!why) continue;
        alerts.push(
          Object.assign(new Alert(), {
            kind: 'watchlist',
            userId: w.createdByUserId,
            watchlistId: w.id,
            hitId: null,
            itemId: item.id,
            dealerId: item.dealerId,
            message: `Signalering: ${why} — regel ${item.registerNumber} ingekocht`.slice(0, 300),
            createdAt: now,
          }),
        );
      }
    }
    return alerts;
  }
}

/** Hits found in one matching step, with their first history step and (exact ones) the alert for all police. */
class HitBatch {
  readonly hits: Hit[] = [];
  readonly events: HitEvent[] = [];
  readonly alerts: Alert[] = [];

  constructor(private readonly now: Date) {}

  add(item: Item, source: Hit['source'], tier: MatchTier, report: StolenReport | null): void {
    const now = this.now;
    const hit = Object.assign(new Hit(), {
      source,
      tier,
      status: 'new',
      itemId: item.id,
      dealerId: item.dealerId,
      stolenReportId: report?.id ?? null,
      dealerReportId: null,
      createdAt: now,
      updatedAt: now,
    });
    this.hits.push(hit);
    this.events.push(
      Object.assign(new HitEvent(), {
        hitId: hit.id,
        status: 'new',
        note: null,
        userId: null,
        userName: SYSTEM,
        at: now,
      }),
    );
    if (tier === 'exact' && report) {
      this.alerts.push(
        Object.assign(new Alert(), {
          kind: 'exact_hit',
          userId: null,
          watchlistId: null,
          hitId: hit.id,
          itemId: item.id,
          dealerId: item.dealerId,
          message:
            `Exacte treffer: ${report.identifier} (zaak ${report.caseNumber}) — regel ${item.registerNumber}`.slice(
              0,
              300,
            ),
          createdAt: now,
        }),
      );
    }
  }

  async write(m: EntityManager, db: Db): Promise<Hit[]> {
    await db.insert(m, Hit, this.hits);
    await db.insert(m, HitEvent, this.events);
    await db.insert(m, Alert, this.alerts);
    return this.hits;
  }
}
