import { Injectable } from '@nestjs/common';
import { And, EntityManager, LessThanOrEqual, MoreThan } from 'typeorm';
import { Db } from '../database/db.service';
import { Dealer, GENESIS_HASH } from '../dealers/dealer.entity';
import { canonicalJson, chainHash } from './canonical';
import { ChainCheckpoint } from './chain-checkpoint.entity';
import { CHAIN_EVENT_TYPES, ChainEvent, type ChainEventType } from './chain-event.entity';

export interface ChainVerdict {
  valid: boolean;
  length: number;
  /**
   * Incremental checks only: the first event compared in this check. Events before it were
   * verified whole when the checkpoint was made (`checkpointAt`); that they are unchanged since is
   * checked through the checkpoint's hash, but not their rows — a full check compares those.
   */
  checkedFrom?: number;
  checkpointAt?: string;
  firstInvalidEvent?: { seq: number; type: string; refId: string; reason: string };
}

/**
 * Recomputes what an event should say from the register's current rows. Registered per event
 * type by the module that owns the rows (acquisitions, disposals, holds).
 */
export type EventSource = (events: ChainEvent[], m: EntityManager) => Promise<Map<string, unknown>>;

/**
 * R11: every register event of a dealer is appended to that dealer's hash chain inside the
 * transaction that writes it; `verify` recomputes the chain and compares each event with the rows
 * it describes, so a row changed directly in the database is detected and located.
 */
@Injectable()
export class ChainService {
  /** Events checked per step of a verification: bounds memory, whatever the chain's length. */
  verifyWindow = 2000;
  private readonly sources: { types: ChainEventType[]; source: EventSource }[] = [];
  private readonly counts = new Map<
    ChainEventType,
    (dealerId: string, m: EntityManager) => Promise<number>
  >();

  constructor(private readonly db: Db) {}

  registerSource(types: ChainEventType[], source: EventSource): void {
    this.sources.push({ types, source });
  }

  /** How many rows of the dealer an event type must cover: a row without its event is found too. */
  registerCount(
    type: ChainEventType,
    count: (dealerId: string, m: EntityManager) => Promise<number>,
  ): void {
    this.counts.set(type, count);
  }

  /**
   * Appends within the caller's transaction. `dealer` must be the row read (and on PostgreSQL
   * locked) in that transaction; its chain head is advanced here and saved by the caller.
   */
  async append(
    m: EntityManager,
    dealer: Dealer,
    type: ChainEventType,
    refId: string,
    data: unknown,
    at: Date,
  ): Promise<ChainEvent> {
    const event = this.next(dealer, type, refId, data, at);
    await this.db.insert(m, ChainEvent, event);
    return event;
  }

  /**
   * The next event of the dealer's chain, not yet written: advances the dealer's chain head in
   * memory. The caller writes the events in order and saves the dealer in the same transaction.
   */
  next(dealer: Dealer, type: ChainEventType, refId: string, data: unknown, at: Date): ChainEvent {
    const seq = dealer.chainLength + 1;
    const payload = canonicalJson({ type, seq, dealerId: dealer.id, refId, at, data });
    const event = Object.assign(new ChainEvent(), {
      dealerId: dealer.id,
      seq,
      type,
      refId,
      payload,
      prevHash: dealer.chainHead,
      hash: chainHash(dealer.chainHead, payload),
      createdAt: at,
    });
    dealer.chainLength = seq;
    dealer.chainHead = event.hash;
    return event;
  }

  /**
   * Walks the chain in windows of `verifyWindow` events (memory stays flat, time grows linearly
   * with the chain): each window's events are checked link by link and against the rows they
   * describe, loaded for that window only. Outside a transaction it reads committed data.
   */
  async verify(dealerId: string, mode: 'full' | 'incremental' = 'full'): Promise<ChainVerdict> {
    // The check reads in several statements: a register write that lands meanwhile (an import
    // published or taking the register) can make a sound chain look broken. Such a verdict is
    // checked again once the dealer's head stands still; a real break stays.
    const head = async () => {
      const d = await this.db.manager.getRepository(Dealer).findOneByOrFail({ id: dealerId });
      return `${d.chainLength}|${d.chainHead}|${d.registerHeldBy ?? ''}`;
    };
    for (let attempt = 1; ; attempt++) {
      const before = await head();
      const verdict = await this.verifyOnce(dealerId, mode);
      if (verdict.valid || attempt === 3 || (await head()) === before) return verdict;
    }
  }

  private async verifyOnce(dealerId: string, mode: 'full' | 'incremental'): Promise<ChainVerdict> {
    const m = this.db.manager;
    const dealer = await m.getRepository(Dealer).findOneByOrFail({ id: dealerId });
    // While an import holds the register, its hidden events follow the published head: the chain
    // is verified up to that head. Otherwise every event counts (one appended directly is found).
    const seqs = (after: number) =>
      dealer.registerHeldBy
        ? And(MoreThan(after), LessThanOrEqual(dealer.chainLength))
        : MoreThan(after);
    const total = await m.getRepository(ChainEvent).countBy({ dealerId, seq: seqs(0) });
    const checkpoint =
      mode === 'incremental'
        ? await m.getRepository(ChainCheckpoint).findOneBy({ dealerId })
        : null;
    const scope =
      mode === 'incremental'
        ? {
            checkedFrom: (checkpoint?.seq ?? 0) + 1,
            checkpointAt: checkpoint?.verifiedAt.toISOString(),
          }
        : {};
    const fail = (e: ChainEvent, reason: string): ChainVerdict => ({
      valid: false,
      length: total,
      ...scope,
      firstInvalidEvent: { seq: e.seq, type: e.type, refId: e.refId, reason },
    });
    let recorded = new Map<ChainEventType, number>();
    let prev = GENESIS_HASH;
    let position = 0;
    let last: ChainEvent | undefined;
    if (checkpoint) {
      // Everything up to the checkpoint was verified whole: it must still end in the same event.
      const at = await m.getRepository(ChainEvent).findOneBy({ dealerId, seq: checkpoint.seq });
      const counts = countsOf(checkpoint.counts);
      if (!at || at.hash !== checkpoint.hash || !counts) {
        return {
          valid: false,
          length: total,
          ...scope,
          firstInvalidEvent: {
            seq: checkpoint.seq,
            type: at?.type ?? 'missing',
            refId: at?.refId ?? dealerId,
            reason:
              'the chain up to the last verified checkpoint was changed after it was verified',
          },
        };
      }
      recorded = counts;
      prev = checkpoint.hash;
      position = checkpoint.seq;
      last = at;
    }
    // The next window (its events and the rows they describe) loads while this one is checked.
    type Window = { events: ChainEvent[]; expected: Map<string, unknown> };
    const loadWindow = async (after: number): Promise<Window> => {
      const events = await m.getRepository(ChainEvent).find({
        where: { dealerId, seq: seqs(after) },
        order: { seq: 'ASC' },
        take: this.verifyWindow,
      });
      const expected = new Map<string, unknown>();
      // Each source sees all events of its types in the window at once.
      for (const { types, source } of this.sources) {
        const ofTypes = events.filter((e) => types.includes(e.type));
        if (ofTypes.length) for (const [k, v] of await source(ofTypes, m)) expected.set(k, v);
      }
      return { events, expected };
    };
    let next: Promise<Window> | null = loadWindow(last?.seq ?? 0);
    for (;;) {
      const window: Window = await next;
      const { events, expected } = window;
      if (!events.length) break;
      next = events.length < this.verifyWindow ? null : loadWindow(events[events.length - 1].seq);
      // A check that stops early leaves the prefetch unread: it must not become an unhandled rejection.
      next?.catch(() => undefined);
      for (const e of events) {
        position += 1;
        if (e.seq !== position)
          return fail(e, `expected event ${position}, found ${e.seq}: an event is missing`);
        if (e.prevHash !== prev) return fail(e, 'the link to the previous event is broken');
        if (chainHash(prev, e.payload) !== e.hash)
          return fail(e, 'the event was changed after it was written');
        const now = expected.get(`${e.type}:${e.refId}`);
        // Fast path: the event's text is exactly what the rows say now (one serialisation, no parse).
        // Otherwise the checks below find and name what differs.
        if (
          now !== undefined &&
          canonicalJson({
            type: e.type,
            seq: e.seq,
            dealerId,
            refId: e.refId,
            at: e.createdAt,
            data: now,
          }) === e.payload
        ) {
          recorded.set(e.type, (recorded.get(e.type) ?? 0) + 1);
          prev = e.hash;
          last = e;
          continue;
        }
        let payload: {
          data?: unknown;
          type?: string;
          seq?: number;
          refId?: string;
          dealerId?: string;
        };
        try {
          payload = JSON.parse(e.payload) as typeof payload;
        } catch {
          return fail(e, 'the event is not readable');
        }
        if (
          payload.type !== e.type ||
          payload.seq !== e.seq ||
          payload.refId !== e.refId ||
          payload.dealerId !== dealerId
        ) {
          return fail(e, 'the event does not match its own header');
        }
        if (now === undefined) return fail(e, 'the register row behind this event is missing');
        if (canonicalJson(now) !== canonicalJson(payload.data))
          return fail(e, 'the register row differs from what the chain recorded');
        recorded.set(e.type, (recorded.get(e.type) ?? 0) + 1);
        prev = e.hash;
        last = e;
      }
      if (!next) break;
    }
    if (dealer.chainLength !== position || dealer.chainHead !== prev) {
      return {
        valid: false,
        length: position,
        firstInvalidEvent: {
          seq: position + 1,
          type: 'missing',
          refId: last?.refId ?? dealerId,
          reason: `the dealer's chain head records ${dealer.chainLength} events; ${position} remain`,
        },
      };
    }
    for (const [type, count] of this.counts) {
      const rows = await count(dealerId, m);
      const inChain = recorded.get(type) ?? 0;
      if (rows !== inChain) {
        return {
          valid: false,
          length: position,
          firstInvalidEvent: {
            seq: position + 1,
            type,
            refId: dealerId,
            reason: `${rows} ${type} rows in the register, ${inChain} in the chain: rows were added or removed outside the register`,
          },
        };
      }
    }
    if (position > 0 && position !== checkpoint?.seq)
      await this.saveCheckpoint(dealerId, position, prev, recorded);
    return { valid: true, length: position, ...scope };
  }

  /** A verified point of the chain, from which the next incremental check starts. */
  private async saveCheckpoint(
    dealerId: string,
    seq: number,
    hash: string,
    counts: Map<ChainEventType, number>,
  ): Promise<void> {
    const row = {
      dealerId,
      seq,
      hash,
      counts: JSON.stringify(Object.fromEntries(counts)),
      verifiedAt: new Date(),
    };
    await this.db.transaction((m) => m.getRepository(ChainCheckpoint).upsert(row, ['dealerId']));
  }
}

/** A checkpoint's events per type, or null when the stored text is not that (changed by hand). */
function countsOf(text: string): Map<ChainEventType, number> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    const entries = Object.entries(parsed as Record<string, unknown>);
    if (
      !entries.every(
        ([k, v]) => (CHAIN_EVENT_TYPES as readonly string[]).includes(k) && Number.isInteger(v),
      )
    )
      return null;
    return new Map(entries as [ChainEventType, number][]);
  } catch {
    return null;
  }
}
