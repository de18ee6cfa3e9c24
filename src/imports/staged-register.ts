import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { AcquisitionVersion } from '../acquisitions/acquisition-version.entity';
import { Acquisition } from '../acquisitions/acquisition.entity';
import { AcquisitionsRepository } from '../acquisitions/acquisitions.repository';
import {
  AcquisitionsService,
  requestHashOf,
  type BuiltLines,
  type NewAcquisition,
} from '../acquisitions/acquisitions.service';
import type { CreateAcquisitionDto } from '../acquisitions/dto/acquisition.dto';
import { Item } from '../acquisitions/item.entity';
import { ChainEvent } from '../audit/chain-event.entity';
import { chunks } from '../common/chunks';
import { slicer } from '../common/event-loop';
import { DorError } from '../common/dor-error';
import type { Caller } from '../common/roles';
import { Db } from '../database/db.service';
import { Dealer } from '../dealers/dealer.entity';
import type { Municipality } from '../municipalities/municipality.entity';
import { Hit, HitEvent } from '../police/hit.entity';
import { ItemKey } from '../police/item-key.entity';
import { Alert } from '../police/watchlist.entity';
import { Seller } from '../sellers/seller.entity';

/** Acquisitions built between two checks for a turn of the event loop. */
const BUILD_SLICE = 10;

/** The dealer's register as an import holds it: the numbers and chain head its hidden lines reached. */
export interface HeldRegister {
  jobId: string;
  dealerId: string;
  /** The registration time of every line of the import. */
  registeredAt: Date;
  lastRegisterNumber: number;
  chainLength: number;
  chainHead: string;
}

/** A chunk of an import built in memory: the register before and after it, and its rows. */
export interface PreparedChunk {
  held: HeldRegister;
  next: HeldRegister;
  built: BuiltLines;
  lines: number;
}

/**
 * A dealer's import written in short transactions, yet all or nothing (issue 8, DOMAIN R3/R11):
 *
 * 1. `hold` takes the dealer's register for the import: its lines take the next register numbers
 *    and chain events, so every other write to this dealer's register (registration, correction,
 *    void, disposal, hold) waits until the import is published or removed — outside the
 *    transaction queue, so logins and other dealers go on.
 * 2. `prepare` builds the next hundred lines or so in memory (outside any transaction), and
 *    `writeChunk` writes them in one short transaction, complete (sellers, lines, versions, chain
 *    events, identifier keys, hits) but hidden: their acquisitions carry
 *    `pendingImportId`, which every read of the register leaves out. The dealer row keeps its
 *    published numbers and chain head; the import's own are kept on the job.
 * 3. `publish` shows them all in one statement and moves the dealer's numbers and chain head on.
 *
 * A failed import is removed chunk by chunk (`discardSome`), then `release` hands the register
 * back: its numbers were never published, so the next line takes the number after the last
 * published one and the chain goes on from the published head.
 */
@Injectable()
export class StagedRegister {
  /** How long an import waits for another import holding the register before it is handed back to the queue. */
  holdWaitMs = 15_000;

  constructor(
    private readonly db: Db,
    private readonly repo: AcquisitionsRepository,
    private readonly acquisitions: AcquisitionsService,
  ) {}

  /** Takes the dealer's register for the job (in the caller's transaction), after any other import holding it. */
  async hold(m: EntityManager, jobId: string, dealerId: string, now: Date): Promise<HeldRegister> {
    const dealer = await this.repo.lockDealer(m, dealerId, {
      holder: jobId,
      waitMs: this.holdWaitMs,
    });
    assertActive(dealer);
    await m.getRepository(Dealer).update({ id: dealerId }, { registerHeldBy: jobId });
    return {
      jobId,
      dealerId,
      registeredAt: now,
      lastRegisterNumber: dealer.lastRegisterNumber,
      chainLength: dealer.chainLength,
      chainHead: dealer.chainHead,
    };
  }

  /**
   * Builds the next chunk in memory, outside any transaction, numbered and chained on from
   * `held`: the transaction that writes it holds the writer only for its statements. An
   * externalRef already in the register with the same content is skipped (written before); with
   * other content (registered since the file was checked) nothing is built and its index is
   * returned in `conflicts`. Sound outside the transaction: while the import holds the register,
   * no other writer adds to this dealer's register.
   */
  async prepare(
    caller: Caller,
    held: HeldRegister,
    municipality: Municipality,
    dtos: CreateAcquisitionDto[],
    urgent?: () => boolean,
  ): Promise<PreparedChunk | { conflicts: number[] }> {
    const refs = dtos.flatMap((d) => (d.externalRef ? [d.externalRef] : []));
    const existing = new Map(
      (await this.repo.findByExternalRefs(held.dealerId, refs, undefined, true)).map((a) => [
        a.externalRef,
        a,
      ]),
    );
    const entries: NewAcquisition[] = [];
    const conflicts: number[] = [];
    dtos.forEach((dto, n) => {
      const requestHash = dto.externalRef ? requestHashOf(dto) : null;
      const before = dto.externalRef ? existing.get(dto.externalRef) : undefined;
      if (!before) entries.push({ dto, returning: null, requestHash });
      else if (before.requestHash !== requestHash && before.pendingImportId !== held.jobId)
        conflicts.push(n);
    });
    if (conflicts.length) return { conflicts };
    const counters = Object.assign(new Dealer(), {
      id: held.dealerId,
      lastRegisterNumber: held.lastRegisterNumber,
      chainLength: held.chainLength,
      chainHead: held.chainHead,
    });
    // Built a few acquisitions at a time (encryption, snapshots, hashes), with turns of the event loop between.
    const pause = slicer(urgent);
    const built: BuiltLines = {
      rows: { sellers: [], acquisitions: [], items: [], versions: [], events: [] },
      out: [],
      now: held.registeredAt,
    };
    for (const part of chunks(entries, BUILD_SLICE)) {
      const b = this.acquisitions.buildLines(
        caller,
        counters,
        municipality,
        part,
        held.registeredAt,
        held.jobId,
      );
      built.rows.sellers.push(...b.rows.sellers);
      built.rows.acquisitions.push(...b.rows.acquisitions);
      built.rows.items.push(...b.rows.items);
      built.rows.versions.push(...b.rows.versions);
      built.rows.events.push(...b.rows.events);
      built.out.push(...b.out);
      await pause();
    }
    return {
      held,
      next: {
        ...held,
        lastRegisterNumber: counters.lastRegisterNumber,
        chainLength: counters.chainLength,
        chainHead: counters.chainHead,
      },
      built,
      lines: built.rows.items.length,
    };
  }

  /**
   * Writes a prepared chunk, hidden, in the caller's transaction (with its identifier keys and
   * hits); returns the register as the import now holds it.
   */
  async writeChunk(m: EntityManager, chunk: PreparedChunk): Promise<HeldRegister> {
    await this.lockHeld(m, chunk.held);
    await this.acquisitions.writeLines(m, chunk.built);
    return chunk.next;
  }

  /**
   * Publishes the import in the caller's transaction: one statement puts its acquisitions in the
   * register, the dealer's numbers and chain head move on to the import's, the register is
   * released. Returns the number of lines published.
   */
  async publish(m: EntityManager, held: HeldRegister): Promise<number> {
    const dealer = await this.lockHeld(m, held);
    await m
      .createQueryBuilder()
      .update(Acquisition)
      .set({ pendingImportId: null })
      .where('"pendingImportId" = :job', { job: held.jobId })
      .execute();
    await m.getRepository(Dealer).update(
      { id: held.dealerId },
      {
        lastRegisterNumber: held.lastRegisterNumber,
        chainLength: held.chainLength,
        chainHead: held.chainHead,
        registerHeldBy: null,
      },
    );
    return held.lastRegisterNumber - dealer.lastRegisterNumber;
  }

  /**
   * Removes up to `limit` acquisitions of a failed import with everything written with them (one
   * short transaction); returns how many. Nothing of it was published, so nothing refers to it.
   */
  async discardSome(jobId: string, limit = 250): Promise<number> {
    return this.db.transaction(
      async (m) => {
        const found = await m.getRepository(Acquisition).find({
          select: { id: true, sellerId: true, dealerId: true },
          where: { pendingImportId: jobId },
          order: { id: 'ASC' },
          take: limit,
        });
        if (!found.length) return 0;
        const ids = found.map((a) => a.id);
        const items: string[] = [];
        for (const part of chunks(ids)) {
          const rows = await m
            .getRepository(Item)
            .find({ select: { id: true }, where: { acquisitionId: In(part) } });
          items.push(...rows.map((i) => i.id));
        }
        for (const part of chunks(items)) {
          const hits = (
            await m.getRepository(Hit).find({ select: { id: true }, where: { itemId: In(part) } })
          ).map((h) => h.id);
          for (const hitPart of chunks(hits)) {
            await m.getRepository(HitEvent).delete({ hitId: In(hitPart) });
            await m.getRepository(Alert).delete({ hitId: In(hitPart) });
            await m.getRepository(Hit).delete({ id: In(hitPart) });
          }
          await m.getRepository(Alert).delete({ itemId: In(part) });
          await m.getRepository(ItemKey).delete({ itemId: In(part) });
        }
        for (const part of chunks(ids)) {
          const versions = (
            await m
              .getRepository(AcquisitionVersion)
              .find({ select: { id: true }, where: { acquisitionId: In(part) } })
          ).map((v) => v.id);
          await m
            .getRepository(ChainEvent)
            .delete({ dealerId: found[0].dealerId, refId: In(versions) });
          await m.getRepository(AcquisitionVersion).delete({ id: In(versions) });
        }
        for (const part of chunks(items)) await m.getRepository(Item).delete({ id: In(part) });
        for (const part of chunks(ids)) await m.getRepository(Acquisition).delete({ id: In(part) });
        for (const part of chunks(found.map((a) => a.sellerId)))
          await m.getRepository(Seller).delete({ id: In(part) });
        return found.length;
      },
      { background: true },
    );
  }

  /** Hands the register back (in the caller's transaction) once the import's rows are gone. */
  async release(m: EntityManager, jobId: string, dealerId: string): Promise<void> {
    await m
      .createQueryBuilder()
      .update(Dealer)
      .set({ registerHeldBy: null })
      .where('id = :dealerId AND "registerHeldBy" = :jobId', { dealerId, jobId })
      .execute();
  }

  /** The dealer row, locked, still held by this import and active (else the import fails). */
  private async lockHeld(m: EntityManager, held: HeldRegister): Promise<Dealer> {
    const dealer = await this.repo.lockDealer(m, held.dealerId, { holder: held.jobId, waitMs: 0 });
    if (dealer.registerHeldBy !== held.jobId) {
      throw DorError.conflict('REGISTER_BUSY', 'The import no longer holds the register');
    }
    assertActive(dealer);
    return dealer;
  }
}

function assertActive(dealer: Dealer): void {
  if (dealer.status !== 'active') {
    throw DorError.forbidden(
      `The dealer is ${dealer.status}: it may read its register but not add to it`,
      'DEALER_NOT_ACTIVE',
    );
  }
}
