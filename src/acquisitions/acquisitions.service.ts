import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { canonicalJson, sha256Hex } from '../audit/canonical';
import { ChainService } from '../audit/chain.service';
import { DorError } from '../common/dor-error';
import { isUniqueViolation, toErrorBody } from '../common/http-exception.filter';
import { pageOf, type Page } from '../common/pagination';
import type { Caller } from '../common/roles';
import {
  ValidationFailed,
  validationProblems,
  type FieldProblem,
} from '../common/validation-failed';
import { Db } from '../database/db.service';
import { dealerScopeOf, inDealerScope } from '../dealers/dealer-scope';
import type { Dealer } from '../dealers/dealer.entity';
import { DealersRepository } from '../dealers/dealers.repository';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import type { Municipality } from '../municipalities/municipality.entity';
import { Seller } from '../sellers/seller.entity';
import { SellersService, toSellerView } from '../sellers/sellers.service';
import { acquisitionProblems, ageOn, hasText, type AcquisitionShape } from './acquisition-rules';
import { AcquisitionVersion } from './acquisition-version.entity';
import { Acquisition } from './acquisition.entity';
import { ChainEvent } from '../audit/chain-event.entity';
import {
  toAcquisitionView,
  toHoldView,
  toItemView,
  toVersionView,
  type AcquisitionView,
  type ItemView,
} from './acquisition.mapper';
import { AcquisitionsRepository, type RegisterFilter } from './acquisitions.repository';
import {
  CreateAcquisitionDto,
  type AcquisitionListQuery,
  type CorrectionDto,
  type ItemDto,
  type VoidDto,
} from './dto/acquisition.dto';
import { periodOf } from '../common/amsterdam-time';
import { amsterdamDate, sellableFrom } from './holding-period';
import { identifierKey } from './identifiers';
import { MatchingService } from '../police/matching.service';
import type { HoldView } from '../holds/dto/hold.dto';
import { AccessLogService } from '../access-log/access-log.service';
import { Item } from './item.entity';
import { acquisitionSnapshot, ITEM_FIELDS, versionEventData } from './snapshot';

export interface Registered {
  /** false when an earlier acquisition with the same externalRef and body was returned (200). */
  created: boolean;
  view: AcquisitionView;
}

export interface RegisterOptions {
  /** The registration time (demo data only; otherwise now). */
  now?: Date;
  /** Already read for a batch (the dealer's status is checked again inside the transaction). */
  dealer?: Dealer;
  municipality?: Municipality;
}

/** Rows of new acquisitions built in memory (`buildLines`), to be written by `writeLines`. */
export interface BuiltLines {
  rows: {
    sellers: Seller[];
    acquisitions: Acquisition[];
    items: Item[];
    versions: AcquisitionVersion[];
    events: ChainEvent[];
  };
  out: { acquisition: Acquisition; items: Item[]; seller: Seller }[];
  now: Date;
}

/** An acquisition to write: validated, with the returning seller it names and its request hash. */
export interface NewAcquisition {
  dto: CreateAcquisitionDto;
  returning: Seller | null;
  requestHash: string | null;
}

export type BatchResult =
  | { index: number; status: 'created' | 'duplicate'; id: string }
  | { index: number; status: 'invalid'; errors: FieldProblem[] };

const SUSPICIOUS_ABSENCE = new Set(['removed', 'unreadable']);
/** Dealers that may still correct, void and record disposals: the register must reflect reality. */
export const MAY_AMEND: ReadonlySet<string> = new Set(['active', 'suspended']);
const ANY_STATUS = new Set(['pending', 'active', 'suspended', 'closed', 'rejected']);

/** The register (R3–R10): registration, corrections, voids and what a dealer sees of its lines. */
@Injectable()
export class AcquisitionsService {
  constructor(
    private readonly db: Db,
    private readonly repo: AcquisitionsRepository,
    private readonly dealers: DealersRepository,
    private readonly municipalities: MunicipalitiesService,
    private readonly sellers: SellersService,
    private readonly chain: ChainService,
    private readonly matching: MatchingService,
    private readonly accessLog: AccessLogService,
  ) {}

  /** The caller's own dealer; 403 unless it is in one of the given states. */
  async ownDealer(
    caller: Caller,
    allowed: ReadonlySet<string> = new Set(['active']),
  ): Promise<Dealer> {
    const dealer = caller.dealerId ? await this.dealers.findById(caller.dealerId) : null;
    if (!dealer) throw DorError.forbidden('This account does not belong to a dealer');
    if (!allowed.has(dealer.status)) {
      throw DorError.forbidden(
        dealer.status === 'pending'
          ? 'The dealer is not approved yet: the municipality must approve the application first'
          : `The dealer is ${dealer.status}: it may read its register but not add to it`,
        'DEALER_NOT_ACTIVE',
      );
    }
    return dealer;
  }

  /** POST /acquisitions (R3–R7): validated, numbered, encrypted, chained — all or nothing. */
  async register(
    caller: Caller,
    dto: CreateAcquisitionDto,
    opts: RegisterOptions = {},
  ): Promise<Registered> {
    // A retry is answered first: the till must get its original back even if the rules, the
    // seller or the dealer's status changed since (exactly once, QUALITY.md "Reliability").
    const requestHash = dto.externalRef ? requestHashOf(dto) : null;
    if (dto.externalRef) {
      const own = opts.dealer ?? (await this.ownDealer(caller, ANY_STATUS));
      const earlier = await this.sameRequest(own.id, dto.externalRef, requestHash!);
      if (earlier) return { created: false, view: await this.view(earlier) };
    }
    const dealer = opts.dealer ?? (await this.ownDealer(caller));
    const municipality =
      opts.municipality ?? (await this.municipalities.find(dealer.municipalityCode));
    // `opts.now` only for the demo data set, which registers lines in the past.
    const now = opts.now ?? new Date();
    const { problems, returning } = await this.check(dealer, municipality, dto, now);
    if (problems.length) throw new ValidationFailed(problems);
    try {
      const r = await this.db.transaction((m) =>
        this.insert(m, caller, dealer.id, municipality, dto, returning, requestHash, now),
      );
      // A new acquisition has no disposals or holds yet: its view is built from what was written.
      return {
        created: true,
        view: toAcquisitionView(
          r.acquisition,
          r.items,
          new Map(),
          new Map(),
          toSellerView(r.seller),
        ),
      };
    } catch (e) {
      // Two retries of one externalRef raced: the loser answers like a retry.
      if (dto.externalRef && isUniqueViolation(e)) {
        const earlier = await this.sameRequest(dealer.id, dto.externalRef, requestHash!);
        if (earlier) return { created: false, view: await this.view(earlier) };
      }
      throw e;
    }
  }

  /** Every rule of R3–R6 the request breaks, and the returning seller it names (if any). */
  private async check(
    dealer: Dealer,
    municipality: Municipality,
    dto: CreateAcquisitionDto,
    now: Date,
  ): Promise<{ problems: FieldProblem[]; returning: Seller | null }> {
    const problems: FieldProblem[] = acquisitionProblems(dto, municipality, now);
    let returning: Seller | null = null;
    if (dto.sellerId && !dto.seller) {
      returning = await this.sellers.findOwn(dealer.id, dto.sellerId);
      if (!returning) {
        problems.push({
          path: 'sellerId',
          code: 'UNKNOWN_SELLER',
          message: 'sellerId is not a seller of this dealer’s earlier acquisitions',
        });
      } else if (!problems.some((p) => p.path === 'acquiredAt')) {
        problems.push(...underAge(returning, dto.acquiredAt, municipality, 'sellerId'));
      }
    }
    return { problems, returning };
  }

  /** The earlier acquisition with this externalRef when the body is the same; 409 when it differs. */
  private async sameRequest(
    dealerId: string,
    externalRef: string,
    requestHash: string,
  ): Promise<Acquisition | null> {
    const earlier = await this.repo.findByExternalRef(dealerId, externalRef);
    if (!earlier) return null;
    if (earlier.requestHash !== requestHash) {
      throw DorError.conflict(
        'EXTERNAL_REF_CONFLICT',
        `externalRef ${externalRef} was already used for a different acquisition`,
        'externalRef',
      );
    }
    return earlier;
  }

  private async insert(
    m: EntityManager,
    caller: Caller,
    dealerId: string,
    municipality: Municipality,
    dto: CreateAcquisitionDto,
    returning: Seller | null,
    requestHash: string | null,
    now: Date,
  ): Promise<{ acquisition: Acquisition; items: Item[]; seller: Seller }> {
    return (
      await this.insertMany(
        m,
        caller,
        dealerId,
        municipality,
        [{ dto, returning, requestHash }],
        now,
      )
    )[0];
  }

  /**
   * Writes acquisitions in the caller's transaction: the dealer row is locked once, then
   * `writeLines` numbers, chains and writes them, and the dealer's counters are saved.
   */
  private async insertMany(
    m: EntityManager,
    caller: Caller,
    dealerId: string,
    municipality: Municipality,
    entries: NewAcquisition[],
    now: Date,
  ): Promise<{ acquisition: Acquisition; items: Item[]; seller: Seller }[]> {
    const dealer = await this.repo.lockDealer(m, dealerId);
    if (dealer.status !== 'active')
      throw DorError.forbidden(`The dealer is ${dealer.status}`, 'DEALER_NOT_ACTIVE');
    const built = this.buildLines(caller, dealer, municipality, entries, now, null);
    await this.writeLines(m, built);
    await this.repo.saveDealerCounters(m, dealer);
    return built.out;
  }

  /**
   * Builds acquisitions with their sellers (encrypted), lines, versions and chain events in memory,
   * numbered and chained on from `dealer` (the locked dealer row, or the counters an import has
   * reached), whose counters advance in memory; nothing is written. `pendingImportId` marks them
   * as part of an import not yet published.
   */
  buildLines(
    caller: Caller,
    dealer: Dealer,
    municipality: Municipality,
    entries: NewAcquisition[],
    now: Date,
    pendingImportId: string | null,
  ): BuiltLines {
    const rows = {
      sellers: [] as Seller[],
      acquisitions: [] as Acquisition[],
      items: [] as Item[],
      versions: [] as AcquisitionVersion[],
      events: [] as ChainEvent[],
    };
    const out = entries.map(({ dto, returning, requestHash }) => {
      const seller = returning ?? this.sellers.build(dealer.id, dto.seller!);
      if (!returning) rows.sellers.push(seller);
      const acquiredAt = new Date(dto.acquiredAt);
      const a = Object.assign(new Acquisition(), {
        dealerId: dealer.id,
        externalRef: dto.externalRef ?? null,
        requestHash,
        acquiredAt,
        registeredAt: now,
        late:
          now.getTime() - acquiredAt.getTime() > municipality.registrationDeadlineHours * 3_600_000,
        acquisitionType: dto.acquisitionType,
        paymentMethod: dto.paymentMethod ?? null,
        sellerId: seller.id,
        registeredByUserId: caller.id,
        version: 1,
        voidedAt: null,
        voidReason: null,
        voidedByUserId: null,
        pendingImportId,
      });
      const from = sellableFrom(acquiredAt, municipality.holdingPeriodWorkingDays);
      const items = dto.items.map((it, n) => {
        const item = Object.assign(new Item(), {
          acquisitionId: a.id,
          dealerId: dealer.id,
          registerNumber: dealer.lastRegisterNumber + n + 1,
        });
        applyItemFields(item, it, from);
        return item;
      });
      dealer.lastRegisterNumber += items.length;
      const version = this.buildVersion(caller, a, items, seller, null, null, now);
      rows.acquisitions.push(a);
      rows.items.push(...items);
      rows.versions.push(version);
      rows.events.push(
        this.chain.next(dealer, 'acquisition', version.id, versionEventData(version), now),
      );
      return { acquisition: a, items, seller };
    });
    return { rows, out, now };
  }

  /**
   * Writes built acquisitions in the caller's transaction, each table with a few multi-row
   * INSERTs — a batch of 500 costs tens of statements, not thousands — and matches their lines.
   */
  async writeLines(m: EntityManager, built: BuiltLines): Promise<void> {
    const { rows, out, now } = built;
    // Db.insert, not the repository: TypeORM's own multi-row insert on SQLite writes read-back
    // values into the entities in the wrong order, swapping the ids of lines in memory.
    await this.db.insert(m, Seller, rows.sellers);
    await this.db.insert(m, Acquisition, rows.acquisitions);
    await this.db.insert(m, Item, rows.items);
    await this.db.insert(m, AcquisitionVersion, rows.versions);
    await this.db.insert(m, ChainEvent, rows.events);
    // R12/R15: against the stolen reports and watchlists, in the same commit as the lines.
    await this.matching.linesRegistered(
      m,
      out.flatMap((o) => o.items.map((item) => ({ item, seller: o.seller }))),
      now,
    );
  }

  private async writeVersion(
    m: EntityManager,
    caller: Caller,
    a: Acquisition,
    items: Item[],
    seller: Seller,
    reason: string | null,
    changed: string[] | null,
    now: Date,
  ): Promise<AcquisitionVersion> {
    const v = this.buildVersion(caller, a, items, seller, reason, changed, now);
    await this.db.insert(m, AcquisitionVersion, v);
    return v;
  }

  private buildVersion(
    caller: Caller,
    a: Acquisition,
    items: Item[],
    seller: Seller,
    reason: string | null,
    changed: string[] | null,
    now: Date,
  ): AcquisitionVersion {
    return Object.assign(new AcquisitionVersion(), {
      acquisitionId: a.id,
      version: a.version,
      snapshot: canonicalJson(acquisitionSnapshot(a, items, seller.commitment)),
      changed: changed ? JSON.stringify(changed) : null,
      reason,
      createdByUserId: caller.id,
      createdByName: caller.name,
      createdAt: now,
    });
  }

  /** For each request: whether the register holds its externalRef — with the 'same' body, a 'different' one, or 'none'. */
  async externalRefStates(
    dealerId: string,
    dtos: CreateAcquisitionDto[],
  ): Promise<('none' | 'same' | 'different')[]> {
    const refs = dtos.flatMap((d) => (d.externalRef ? [d.externalRef] : []));
    const earlier = new Map(
      (await this.repo.findByExternalRefs(dealerId, refs)).map((a) => [a.externalRef, a]),
    );
    return dtos.map((dto) => {
      const before = dto.externalRef ? earlier.get(dto.externalRef) : undefined;
      if (!before) return 'none';
      return before.requestHash === requestHashOf(dto) ? 'same' : 'different';
    });
  }

  /**
   * POST /acquisitions/batch: each entry is validated on its own; the valid new ones are written
   * together in one transaction (few statements). Should that write fail, every entry is written on
   * its own after all, so that each still stands or falls by itself.
   */
  async batch(caller: Caller, entries: Record<string, unknown>[]): Promise<BatchResult[]> {
    const dealer = await this.ownDealer(caller);
    const municipality = await this.municipalities.find(dealer.municipalityCode);
    const now = new Date();
    const results: BatchResult[] = [];
    const fresh: {
      index: number;
      dto: CreateAcquisitionDto;
      returning: Seller | null;
      requestHash: string | null;
    }[] = [];
    const dtos = new Map<number, CreateAcquisitionDto>();
    for (const [index, raw] of entries.entries()) {
      const dto = plainToInstance(CreateAcquisitionDto, raw);
      const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
      if (errors.length) {
        results.push({ index, status: 'invalid', errors: validationProblems(errors) });
        continue;
      }
      const { problems, returning } = await this.check(dealer, municipality, dto, now);
      if (problems.length) {
        results.push({ index, status: 'invalid', errors: problems });
        continue;
      }
      dtos.set(index, dto);
      fresh.push({
        index,
        dto,
        returning,
        requestHash: dto.externalRef ? requestHashOf(dto) : null,
      });
    }

    // externalRef: an earlier acquisition (or an earlier entry of this batch) with the same body is a duplicate.
    const refs = fresh.flatMap((f) => (f.dto.externalRef ? [f.dto.externalRef] : []));
    const earlier = new Map(
      (await this.repo.findByExternalRefs(dealer.id, refs)).map((a) => [a.externalRef!, a]),
    );
    const inBatch = new Map<string, { index: number; hash: string }>();
    const write: typeof fresh = [];
    const sameAs = new Map<number, number>();
    for (const f of fresh) {
      const ref = f.dto.externalRef;
      const before = ref ? earlier.get(ref) : undefined;
      const sibling = ref ? inBatch.get(ref) : undefined;
      const conflict = {
        index: f.index,
        status: 'invalid' as const,
        errors: [
          {
            path: 'externalRef',
            code: 'EXTERNAL_REF_CONFLICT',
            message: `externalRef ${ref} was already used for a different acquisition`,
          },
        ],
      };
      if (before)
        results.push(
          before.requestHash === f.requestHash
            ? { index: f.index, status: 'duplicate', id: before.id }
            : conflict,
        );
      else if (sibling) {
        if (sibling.hash === f.requestHash) sameAs.set(f.index, sibling.index);
        else results.push(conflict);
      } else {
        if (ref) inBatch.set(ref, { index: f.index, hash: f.requestHash! });
        write.push(f);
      }
    }

    const ids = new Map<number, string>();
    try {
      const written = write.length
        ? await this.db.transaction((m) =>
            this.insertMany(m, caller, dealer.id, municipality, write, now),
          )
        : [];
      written.forEach((w, n) => ids.set(write[n].index, w.acquisition.id));
      for (const f of write)
        results.push({ index: f.index, status: 'created', id: ids.get(f.index)! });
    } catch (e) {
      // Refusals of the whole batch: every entry on its own would be refused (or wait) the same way.
      if (e instanceof DorError && (e.code === 'DEALER_NOT_ACTIVE' || e.code === 'REGISTER_BUSY'))
        throw e;
      // The joint write failed: write each entry on its own, so one bad entry cannot sink the rest.
      for (const f of write) {
        try {
          const r = await this.register(caller, f.dto, { dealer, municipality });
          ids.set(f.index, r.view.id);
          results.push({
            index: f.index,
            status: r.created ? 'created' : 'duplicate',
            id: r.view.id,
          });
        } catch (err) {
          if (err instanceof ValidationFailed)
            results.push({ index: f.index, status: 'invalid', errors: err.problems });
          else if (err instanceof DorError && err.status < 500)
            results.push({
              index: f.index,
              status: 'invalid',
              errors: [{ path: err.field ?? '', code: err.code, message: err.message }],
            });
          else {
            // Any other refusal of this entry alone (e.g. a character PostgreSQL cannot store) stays with it.
            const body = toErrorBody(err);
            if (body.statusCode >= 500) throw err;
            results.push({
              index: f.index,
              status: 'invalid',
              errors: [{ path: '', code: body.code ?? 'INVALID', message: String(body.message) }],
            });
          }
        }
      }
    }
    for (const [index, first] of sameAs) {
      const id = ids.get(first);
      results.push(
        id
          ? { index, status: 'duplicate', id }
          : {
              index,
              status: 'invalid',
              errors: [
                {
                  path: 'externalRef',
                  code: 'EXTERNAL_REF_CONFLICT',
                  message: 'The entry with the same externalRef was not registered',
                },
              ],
            },
      );
    }
    return results.sort((x, y) => x.index - y.index);
  }

  /** R10: a correction is a new version with what changed, why, who and when; nothing is overwritten without a trace. */
  async correct(caller: Caller, id: string, dto: CorrectionDto): Promise<AcquisitionView> {
    const dealer = await this.ownDealer(caller, MAY_AMEND);
    const current = await this.findOwn(caller, id);
    if (current.voidedAt)
      throw DorError.conflict('ACQUISITION_VOIDED', 'A voided acquisition cannot be corrected');
    const municipality = await this.municipalities.find(dealer.municipalityCode);
    const items = await this.repo.itemsOf([current.id]);
    const byId = new Map(items.map((i) => [i.id, i]));
    const c = dto.changes;
    const problems: FieldProblem[] = [];
    for (const [n, change] of (c.items ?? []).entries()) {
      if (!byId.has(change.id))
        problems.push({
          path: `changes.items[${n}].id`,
          code: 'UNKNOWN_ITEM',
          message: `changes.items[${n}].id is not a line of this acquisition`,
        });
    }
    const changedItems = new Map((c.items ?? []).map((ch) => [ch.id, ch]));
    const shape: AcquisitionShape = {
      acquiredAt: c.acquiredAt ?? current.acquiredAt.toISOString(),
      acquisitionType: c.acquisitionType ?? current.acquisitionType,
      paymentMethod: c.paymentMethod ?? current.paymentMethod,
      seller: c.seller,
      sellerId: c.seller ? undefined : current.sellerId,
      items: items.map((i) => changedItems.get(i.id) ?? itemToDto(i)),
    };
    const now = new Date();
    // Report a line's problem at its place in the request (changes.items[j]), not among all lines.
    const requestIndex = new Map(
      items.map((line, k) => [k, (c.items ?? []).findIndex((ch) => ch.id === line.id)]),
    );
    const toRequestPath = (path: string) =>
      path.replace(/^items\[(\d+)\]/, (whole, k: string) => {
        const j = requestIndex.get(Number(k)) ?? -1;
        return j >= 0 ? `items[${j}]` : `lines[${items[Number(k)].registerNumber}]`;
      });
    problems.push(
      ...acquisitionProblems(shape, municipality, now).map((p) => ({
        ...p,
        path: `changes.${toRequestPath(p.path)}`,
        message: p.message.replace(/^items\[\d+\]/, (m) => toRequestPath(m)),
      })),
    );
    // R6 also when only the date changes: the unchanged seller must have been old enough on the new date.
    if (!c.seller && c.acquiredAt && !problems.some((p) => p.path === 'changes.acquiredAt')) {
      const seller = (await this.sellers.findByIds([current.sellerId]))[0];
      if (seller)
        problems.push(...underAge(seller, c.acquiredAt, municipality, 'changes.acquiredAt'));
    }
    if (problems.length) throw new ValidationFailed(problems);

    await this.db.transaction(async (m) => {
      const d = await this.repo.lockDealer(m, dealer.id);
      const a = (await this.repo.findById(current.id, m))!;
      if (a.voidedAt)
        throw DorError.conflict('ACQUISITION_VOIDED', 'A voided acquisition cannot be corrected');
      // Built on what was read before the lock: refuse when another correction came in between.
      if (a.version !== current.version)
        throw DorError.conflict(
          'VERSION_CHANGED',
          'The acquisition was changed meanwhile; read it again and correct that version',
        );
      const lines = await this.repo.itemsOf([a.id], m);
      const changed: string[] = [];
      const acquiredAt = new Date(shape.acquiredAt);
      if (acquiredAt.getTime() !== a.acquiredAt.getTime()) changed.push('acquiredAt');
      if (shape.acquisitionType !== a.acquisitionType) changed.push('acquisitionType');
      if ((shape.paymentMethod ?? null) !== a.paymentMethod) changed.push('paymentMethod');
      let seller: Seller;
      if (c.seller) {
        seller = await this.sellers.create(m, d.id, c.seller);
        changed.push('seller');
      } else {
        seller = (await this.sellers.findByIds([a.sellerId]))[0];
      }
      const from = sellableFrom(acquiredAt, municipality.holdingPeriodWorkingDays);
      for (const line of lines) {
        const before = JSON.stringify(itemFieldValues(line)) + line.sellableFrom.toISOString();
        const change = changedItems.get(line.id);
        applyItemFields(line, change ?? itemToDto(line), from);
        const after = JSON.stringify(itemFieldValues(line)) + line.sellableFrom.toISOString();
        if (before !== after) {
          if (change) changed.push(`items[${line.registerNumber}]`);
          await m.getRepository(Item).save(line);
        }
      }
      if (!changed.length)
        throw DorError.invalid('NOTHING_CHANGED', 'The correction changes nothing');
      a.acquiredAt = acquiredAt;
      a.acquisitionType = shape.acquisitionType as Acquisition['acquisitionType'];
      a.paymentMethod = (shape.paymentMethod ?? null) as Acquisition['paymentMethod'];
      a.sellerId = seller.id;
      a.late =
        a.late ||
        a.registeredAt.getTime() - acquiredAt.getTime() >
          municipality.registrationDeadlineHours * 3_600_000;
      a.version += 1;
      await m.getRepository(Acquisition).save(a);
      const v = await this.writeVersion(m, caller, a, lines, seller, dto.reason, changed, now);
      await this.matching.linesRegistered(
        m,
        lines.map((item) => ({ item, seller })),
        now,
        { corrected: true },
      );
      await this.chain.append(m, d, 'correction', v.id, versionEventData(v), now);
      await this.repo.saveDealerCounters(m, d);
    });
    return this.get(caller, id);
  }

  /** R10: a line entered by mistake is voided with a reason; it stays in the register. */
  async void(caller: Caller, id: string, dto: VoidDto): Promise<AcquisitionView> {
    const dealer = await this.ownDealer(caller, MAY_AMEND);
    const current = await this.findOwn(caller, id);
    const now = new Date();
    await this.db.transaction(async (m) => {
      const d = await this.repo.lockDealer(m, dealer.id);
      const a = (await this.repo.findById(current.id, m))!;
      if (a.voidedAt)
        throw DorError.conflict('ALREADY_VOIDED', 'This acquisition is already voided');
      const lines = await this.repo.itemsOf([a.id], m);
      if (
        (
          await this.repo.disposalsOf(
            lines.map((l) => l.id),
            m,
          )
        ).length
      ) {
        throw DorError.conflict(
          'ITEM_DISPOSED',
          'An item of this acquisition was disposed of; correct it instead of voiding',
        );
      }
      a.voidedAt = now;
      a.voidReason = dto.reason;
      a.voidedByUserId = caller.id;
      await m.getRepository(Acquisition).save(a);
      await this.chain.append(m, d, 'void', a.id, voidEventData(a), now);
      await this.repo.saveDealerCounters(m, d);
    });
    return this.get(caller, id);
  }

  /** An acquisition of the caller's own dealer, else 404 (another dealer's does not exist for it). */
  async findOwn(caller: Caller, id: string): Promise<Acquisition> {
    const a = await this.repo.findById(id);
    if (!a || a.dealerId !== caller.dealerId) throw DorError.notFound('Acquisition');
    return a;
  }

  async get(caller: Caller, id: string): Promise<AcquisitionView> {
    const a = await this.findOwn(caller, id);
    const view = await this.view(a);
    view.versions = (await this.repo.versionsOf(a.id)).map(toVersionView);
    return view;
  }

  /** Views of acquisitions with their lines, disposals, holds and (for the dealer) the seller. */
  async views(list: Acquisition[]): Promise<AcquisitionView[]> {
    const items = await this.repo.itemsOf(list.map((a) => a.id));
    const ids = items.map((i) => i.id);
    const disposals = new Map((await this.repo.disposalsOf(ids)).map((d) => [d.itemId, d]));
    const holds = new Map((await this.repo.activeHoldsOf(ids)).map((h) => [h.itemId, h]));
    const sellers = new Map(
      (await this.sellers.findByIds(list.map((a) => a.sellerId))).map((s) => [s.id, s]),
    );
    return list.map((a) => {
      const s = sellers.get(a.sellerId);
      return toAcquisitionView(
        a,
        items.filter((i) => i.acquisitionId === a.id),
        disposals,
        holds,
        s ? toSellerView(s) : undefined,
      );
    });
  }

  private async view(a: Acquisition): Promise<AcquisitionView> {
    return (await this.views([a]))[0];
  }

  async list(caller: Caller, q: AcquisitionListQuery): Promise<Page<AcquisitionView>> {
    const dealer = await this.ownDealer(caller, ANY_STATUS);
    const [rows, total] = await this.repo.page(
      dealer.id,
      registerFilter(q),
      (q.page - 1) * q.pageSize,
      q.pageSize,
    );
    return pageOf(await this.views(rows), total, q);
  }

  /** Register lines for the dealer's portal register, newest first. */
  async lines(
    caller: Caller,
    q: AcquisitionListQuery,
  ): Promise<Page<ItemView & { acquiredAt: string; late: boolean }>> {
    const dealer = await this.ownDealer(caller, ANY_STATUS);
    const [items, total] = await this.repo.linePage(
      dealer.id,
      registerFilter(q),
      (q.page - 1) * q.pageSize,
      q.pageSize,
    );
    const acquisitions = new Map(
      (await this.repo.findByIds(items.map((i) => i.acquisitionId))).map((a) => [a.id, a]),
    );
    const disposals = new Map(
      (await this.repo.disposalsOf(items.map((i) => i.id))).map((d) => [d.itemId, d]),
    );
    const holds = new Map(
      (await this.repo.activeHoldsOf(items.map((i) => i.id))).map((h) => [h.itemId, h]),
    );
    return pageOf(
      items.map((i) => {
        const a = acquisitions.get(i.acquisitionId)!;
        return {
          ...toItemView(i, a.voidedAt !== null, disposals.get(i.id), holds.get(i.id)),
          acquiredAt: a.acquiredAt.toISOString(),
          late: a.late,
        };
      }),
      total,
      q,
    );
  }

  /** GET /items/:id — the line with its acquisition; dealers only their own, inspectors per scope. */
  async item(
    caller: Caller,
    id: string,
    purpose: { reason?: string; caseNumber?: string } = {},
  ): Promise<{
    item: ItemView;
    acquisition: AcquisitionView;
    dealerId: string;
    holds?: HoldView[];
  }> {
    const item = await this.repo.findItem(id);
    const dealer = item ? await this.dealers.findById(item.dealerId) : null;
    if (!item || !dealer || !inDealerScope(dealerScopeOf(caller), dealer))
      throw DorError.notFound('Item');
    const a = (await this.repo.findById(item.acquisitionId))!;
    const acquisition = await this.view(a);
    if (caller.role !== 'dealer' && caller.role !== 'dealer_staff') {
      delete acquisition.seller; // seller data: purpose-bound access only (R19)
      if ((caller.role === 'police' || caller.role === 'boa') && purpose.reason) {
        const seller = (await this.sellers.findByIds([a.sellerId]))[0];
        if (seller) acquisition.seller = this.sellers.inspectorView(seller);
        await this.accessLog.record(
          caller,
          'view_seller',
          { reason: purpose.reason, caseNumber: purpose.caseNumber },
          { itemId: item.id, dealerId: item.dealerId },
          seller ? 1 : 0,
        );
      }
    }
    acquisition.versions = (await this.repo.versionsOf(a.id)).map(toVersionView);
    // The police see their holds (case, reason, history); everyone else only that one is active.
    const holds =
      caller.role === 'police' ? (await this.repo.holdsOf(item.id)).map(toHoldView) : undefined;
    return {
      item: acquisition.items.find((i) => i.id === id)!,
      acquisition,
      dealerId: item.dealerId,
      ...(holds ? { holds } : {}),
    };
  }
}

/** R6: a known seller younger than the municipality's minimum age on the acquisition date. */
function underAge(
  seller: Seller,
  acquiredAt: string,
  municipality: Municipality,
  path: string,
): FieldProblem[] {
  if (
    !seller.dateOfBirth ||
    ageOn(seller.dateOfBirth, amsterdamDate(new Date(acquiredAt))) >= municipality.minimumSellerAge
  )
    return [];
  return [
    {
      path,
      code: 'SELLER_UNDER_AGE',
      message: `The seller is younger than ${municipality.minimumSellerAge}`,
    },
  ];
}

/** What makes two requests "the same body" for externalRef idempotency. */
export function requestHashOf(dto: CreateAcquisitionDto): string {
  return sha256Hex(canonicalJson(dto));
}

function registerFilter(q: AcquisitionListQuery): RegisterFilter {
  const { from, to } = periodOf(q.from, q.to);
  return { from, to, q: q.q?.trim() || undefined, category: q.category, status: q.status };
}

function itemFieldValues(i: Item): unknown[] {
  return ITEM_FIELDS.map((f) => i[f]);
}

/** Sets a line's fields from the request, with its identifier keys, suspicion and sellable date. */
function applyItemFields(item: Item, it: ItemDto, from: Date): void {
  const text = (v: string | undefined | null) => (hasText(v) ? v.trim() : null);
  item.category = it.category;
  item.brand = text(it.brand);
  item.model = text(it.model);
  item.imei = text(it.imei)?.replace(/\D/g, '') ?? null;
  item.imei2 = text(it.imei2)?.replace(/\D/g, '') ?? null;
  item.serialNumber = text(it.serialNumber);
  item.frameNumber = text(it.frameNumber);
  item.vin = text(it.vin)?.toUpperCase() ?? null;
  item.identifierAbsent = it.identifierAbsent ?? null;
  item.description = text(it.description);
  item.colour = text(it.colour);
  item.priceCents = it.priceCents;
  item.quantity = it.quantity ?? 1;
  item.material = text(it.material);
  item.fineness = text(it.fineness);
  item.weightMilligrams =
    it.weightGrams === undefined || it.weightGrams === null
      ? null
      : Math.round(it.weightGrams * 1000);
  item.inscription = text(it.inscription);
  item.stoneColour = text(it.stoneColour);
  item.sellableFrom = from;
  item.suspicious = SUSPICIOUS_ABSENCE.has(it.identifierAbsent ?? '');
  item.imeiKey = item.imei ? identifierKey('imei', item.imei) : null;
  item.imei2Key = item.imei2 ? identifierKey('imei', item.imei2) : null;
  item.serialKey = item.serialNumber ? identifierKey('serial', item.serialNumber) : null;
  item.frameKey = item.frameNumber ? identifierKey('frame', item.frameNumber) : null;
  item.vinKey = item.vin ? identifierKey('vin', item.vin) : null;
}

/** A stored line back in the request's shape (for corrections that leave it unchanged). */
function itemToDto(i: Item): ItemDto {
  const v = (x: string | null) => x ?? undefined;
  return {
    category: i.category,
    brand: v(i.brand),
    model: v(i.model),
    imei: v(i.imei),
    imei2: v(i.imei2),
    serialNumber: v(i.serialNumber),
    frameNumber: v(i.frameNumber),
    vin: v(i.vin),
    identifierAbsent: i.identifierAbsent ?? undefined,
    description: v(i.description),
    colour: v(i.colour),
    priceCents: i.priceCents,
    quantity: i.quantity,
    material: v(i.material),
    fineness: v(i.fineness),
    weightGrams: i.weightMilligrams === null ? undefined : i.weightMilligrams / 1000,
    inscription: v(i.inscription),
    stoneColour: v(i.stoneColour),
  };
}

export function voidEventData(a: Acquisition) {
  return {
    acquisitionId: a.id,
    voidedAt: a.voidedAt,
    reason: a.voidReason,
    voidedByUserId: a.voidedByUserId,
  };
}
