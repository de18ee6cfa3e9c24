import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { In, Repository, type EntityManager } from 'typeorm';
import { foldLookalikes, identifierKey } from '../acquisitions/identifiers';
import { isUniqueViolation } from '../common/http-exception.filter';
import { DorError } from '../common/dor-error';
import { validationProblems } from '../common/validation-failed';
import { pageOf, type Page } from '../common/pagination';
import type { Caller } from '../common/roles';
import { Db } from '../database/db.service';
import { inChunks } from '../common/chunks';
import { ChunkSizer, parseCsvInSlices, parseJsonArrayInSlices, slicer } from '../common/event-loop';
import { isCalendarDate } from '../acquisitions/acquisition-rules';
import { JobQueue, whenJobDone } from '../common/background-jobs';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { ImportError } from '../imports/import-job.entity';
import { toImportView as toJobView, type ImportView } from '../imports/imports.service';
import { CreateStolenReportDto, type StolenReportListQuery } from './dto/police.dto';
import { Hit } from './hit.entity';
import { HitsService, type HitView } from './hits.service';
import { MatchingService } from './matching.service';
import { StolenImport } from './stolen-import.entity';
import { StolenReport } from './stolen-report.entity';

/** The national feed may hold this many reports in one upload (API.md). */
export const MAX_IMPORT_ROWS = 100_000;
/**
 * Reports stored and matched per transaction: at most this many, and as many as take about
 * CHUNK_TARGET_MS (ChunkSizer), so that other writes get their turn between chunks.
 */
export const FEED_CHUNK = 250;
const FIRST_FEED_CHUNK = 50;
const COLUMNS = [
  'caseNumber',
  'identifierType',
  'identifier',
  'brand',
  'category',
  'description',
  'stolenAt',
];

export interface StolenReportView {
  id: string;
  caseNumber: string;
  identifierType: string;
  identifier: string;
  brand: string | null;
  category: string | null;
  description: string | null;
  stolenAt: string | null;
  status: StolenReport['status'];
  createdAt: string;
  resolvedAt: string | null;
}

export interface StolenImportView extends ImportView {
  duplicates: number;
  hits: number;
}

export function toStolenReportView(r: StolenReport): StolenReportView {
  return {
    id: r.id,
    caseNumber: r.caseNumber,
    identifierType: r.identifierType,
    identifier: r.identifier,
    brand: r.brand,
    category: r.category,
    description: r.description,
    stolenAt: r.stolenAt?.toISOString() ?? null,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    resolvedAt: r.resolvedAt?.toISOString() ?? null,
  };
}

function toImportView(j: StolenImport): StolenImportView {
  return { ...toJobView(j), duplicates: j.duplicates, hits: j.hits };
}

/**
 * R12: stolen reports, one by one or from the national feed (a job with progress), each matched
 * against every line still in the register in the transaction that stores it.
 */
@Injectable()
export class StolenReportsService implements OnApplicationBootstrap, OnModuleDestroy {
  /** The jobs' claims across nodes (public for operations and tests). */
  readonly queue: JobQueue<StolenImport>;

  constructor(
    @InjectRepository(StolenReport) private readonly reports: Repository<StolenReport>,
    @InjectRepository(StolenImport) private readonly jobs: Repository<StolenImport>,
    private readonly db: Db,
    private readonly matching: MatchingService,
    private readonly hits: HitsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const stay = 'the reports stored so far stay. Upload the file again to add the rest.';
    this.queue = new JobQueue(db, StolenImport, {
      what: 'Stolen-report import',
      logger: new Logger('StolenImports'),
      nodeId: config.nodeId,
      leaseSeconds: config.jobLeaseSeconds,
      run: (id) => this.run(id),
      onFailure: (id, reason) =>
        this.update(id, {
          status: 'failed',
          content: null,
          finishedAt: new Date(),
          errors: [
            {
              line: 0,
              field: '',
              message:
                reason === 'attempts'
                  ? `The import was interrupted too often and was stopped; ${stay}`
                  : `The import could not be completed; ${stay}`,
            },
          ],
        }),
    });
  }

  onApplicationBootstrap(): void {
    // Claims what waits, also a job a restart or a dead node interrupted: it resumes, recognising and skipping what it stored.
    this.queue.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.stop();
  }

  /** A report from validated fields (not yet written); null with a reason when the identifier has too few characters. */
  build(
    caller: Caller,
    dto: CreateStolenReportDto,
    importJobId: string | null,
    now: Date,
  ): StolenReport | string {
    const key = identifierKey(dto.identifierType, dto.identifier);
    if (key.length < 4) return 'identifier must hold at least 4 letters or digits';
    if (dto.stolenAt && !isCalendarDate(dto.stolenAt.slice(0, 10))) return 'stolenAt is not a date';
    const stolenAt = dto.stolenAt
      ? new Date(dto.stolenAt.length === 10 ? `${dto.stolenAt}T12:00:00Z` : dto.stolenAt)
      : null;
    if (stolenAt && Number.isNaN(stolenAt.getTime())) return 'stolenAt is not a date';
    if (stolenAt && stolenAt.getTime() > now.getTime() + 86_400_000)
      return 'stolenAt lies in the future';
    const folded = foldLookalikes(key);
    return Object.assign(new StolenReport(), {
      caseNumber: dto.caseNumber,
      identifierType: dto.identifierType,
      identifier: dto.identifier,
      identifierKey: key,
      foldedKey: folded,
      searchKey: ` ${folded} `,
      brand: dto.brand || null,
      category: dto.category ?? null,
      description: dto.description || null,
      stolenAt,
      status: 'active',
      importJobId,
      createdByUserId: caller.id,
      createdAt: now,
      resolvedAt: null,
      resolvedByUserId: null,
    });
  }

  /** POST /stolen-reports: stored and matched against the register at once; the hits in the answer. */
  async create(
    caller: Caller,
    dto: CreateStolenReportDto,
  ): Promise<StolenReportView & { hits: HitView[] }> {
    const now = new Date();
    const report = this.build(caller, dto, null, now);
    if (typeof report === 'string') throw DorError.invalid(...problemOf(report));
    let hits: Hit[];
    try {
      hits = await this.db.transaction(async (m) => {
        await this.db.insert(m, StolenReport, report);
        return this.matching.reportsAdded(m, [report], now);
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw DorError.conflict(
          'DUPLICATE_REPORT',
          'This identifier is already reported under this case number',
          'identifier',
        );
      throw e;
    }
    return { ...toStolenReportView(report), hits: await this.hits.views(hits) };
  }

  async list(q: StolenReportListQuery): Promise<Page<StolenReportView>> {
    const where = {
      ...(q.status ? { status: q.status } : {}),
      ...(q.caseNumber ? { caseNumber: q.caseNumber } : {}),
    };
    const [rows, total] = await this.reports.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    });
    return pageOf(rows.map(toStolenReportView), total, q);
  }

  async get(id: string): Promise<StolenReportView> {
    const r = await this.reports.findOneBy({ id });
    if (!r) throw DorError.notFound('Stolen report');
    return toStolenReportView(r);
  }

  /** PATCH {status:"resolved"}: the report no longer matches new lines; its hits stay. */
  async resolve(caller: Caller, id: string): Promise<StolenReportView> {
    await this.db.transaction(async (m) => {
      const r = await m.getRepository(StolenReport).findOneBy({ id });
      if (!r) throw DorError.notFound('Stolen report');
      if (r.status === 'resolved')
        throw DorError.conflict('ALREADY_RESOLVED', 'This report is already resolved');
      await m
        .getRepository(StolenReport)
        .update(
          { id },
          { status: 'resolved', resolvedAt: new Date(), resolvedByUserId: caller.id },
        );
    });
    return this.get(id);
  }

  async enqueue(caller: Caller, fileName: string, content: string): Promise<StolenImport> {
    const job = Object.assign(new StolenImport(), {
      userId: caller.id,
      fileName: fileName.slice(0, 200) || 'import',
      status: 'queued',
      total: 0,
      processed: 0,
      created: 0,
      duplicates: 0,
      hits: 0,
      errors: [],
      content,
      createdAt: new Date(),
      finishedAt: null,
    });
    await this.db.transaction((m) => m.getRepository(StolenImport).insert(job));
    this.queue.kick(job.id);
    return job;
  }

  async job(id: string): Promise<StolenImportView> {
    const job = await this.jobs.findOneBy({ id });
    if (!job) throw DorError.notFound('Import');
    return toImportView(job);
  }

  async recentJobs(limit = 5): Promise<StolenImportView[]> {
    return (await this.jobs.find({ order: { createdAt: 'DESC' }, take: limit })).map(toImportView);
  }

  /** Resolves when the job has ended (tests, demo). */
  async whenDone(id: string, timeoutMs = 60_000): Promise<StolenImportView> {
    return toImportView(await whenJobDone(() => this.jobs.findOneByOrFail({ id }), timeoutMs));
  }

  /** In `m` (a chunk's commit) or on its own; only while this node holds the job (else LeaseLost rolls `m` back). */
  private async update(
    id: string,
    fields: Partial<StolenImport>,
    m?: EntityManager,
  ): Promise<void> {
    await this.queue.updateOwned(id, fields, m);
  }

  /** Runs after each chunk has been committed, outside any transaction (a seam for tests). */
  async afterChunk(_jobId: string, _processed: number): Promise<void> {}

  /**
   * Every valid row is stored (a feed with a few bad rows still lands; each bad row is listed by
   * line), in chunks sized to the machine (ChunkSizer, at most FEED_CHUNK; on PostgreSQL no more
   * than fit in the matching locks of one transaction), each chunk with its matching and the job's
   * progress in one short commit, only while this node holds the job. The file is parsed and
   * checked in slices, so the server goes on answering. A row already reported (same case number
   * and identifier) is skipped as a duplicate.
   */
  private async run(id: string): Promise<void> {
    const job = await this.jobs.findOneByOrFail({ id });
    if (job.status === 'done' || job.status === 'failed') return;
    const caller = { id: job.userId } as Caller;
    // Resumed after a restart: the hits of the reports it stored before count too.
    const earlierHits =
      job.status === 'running'
        ? await this.reports.manager
            .createQueryBuilder(Hit, 'h')
            .innerJoin(StolenReport, 'r', 'r.id = h.stolenReportId')
            .where('r.importJobId = :id', { id })
            .getCount()
        : 0;
    const urgent = () => this.db.writesInProgress > 0;
    const parsed = await parseFeed(job.content ?? '', urgent);
    if ('error' in parsed) {
      return this.update(id, {
        status: 'failed',
        errors: [parsed.error],
        content: null,
        finishedAt: new Date(),
      });
    }
    await this.update(id, {
      status: 'running',
      total: parsed.rows.length,
      processed: 0,
      created: 0,
      duplicates: 0,
      hits: 0,
      errors: [],
    });
    const errors: ImportError[] = [];
    const valid: { line: number; report: StolenReport }[] = [];
    const now = new Date();
    // Checked in slices: the event loop answers other requests between them.
    const pause = slicer(urgent);
    for (const row of parsed.rows) {
      await pause();
      const dto = plainToInstance(CreateStolenReportDto, row.values);
      const problems = validationProblems(
        await validate(dto, {
          whitelist: true,
          forbidNonWhitelisted: true,
          stopAtFirstError: true,
        }),
      ); // one problem per field
      if (problems.length) {
        for (const p of problems)
          errors.push({ line: row.line, field: p.path, code: p.code, message: p.message });
        continue;
      }
      const report = this.build(caller, dto, id, now);
      if (typeof report === 'string') {
        const [code, message, field] = problemOf(report);
        errors.push({ line: row.line, field, code, message });
      } else valid.push({ line: row.line, report });
    }
    let processed = parsed.rows.length - valid.length;
    let created = 0;
    let duplicates = 0;
    let hits = earlierHits;
    const seen = new Set<string>();
    const sizer = new ChunkSizer(FIRST_FEED_CHUNK, 5, FEED_CHUNK);
    for (let i = 0; i < valid.length;) {
      // As many as the sizer asks for, on PostgreSQL no more than one transaction's matching locks allow.
      const [chunk] = this.matching.lockGroups(
        valid.slice(i, i + sizer.next),
        (v) => v.report,
        sizer.next,
      );
      i += chunk.length;
      let started = 0;
      await this.db.transaction(
        async (m) => {
          started = performance.now();
          const existing = new Map<string, StolenReport>();
          const cases = [...new Set(chunk.map((c) => c.report.caseNumber))];
          const known = await inChunks(cases, (slice) =>
            m.getRepository(StolenReport).find({
              select: { caseNumber: true, identifierKey: true, importJobId: true },
              where: { caseNumber: In(slice) },
            }),
          );
          for (const r of known) existing.set(`${r.caseNumber}|${r.identifierKey}`, r);
          const fresh: StolenReport[] = [];
          for (const { report } of chunk) {
            const pair = `${report.caseNumber}|${report.identifierKey}`;
            const before = existing.get(pair);
            if (seen.has(pair))
              duplicates++; // twice in this file
            else if (before?.importJobId === id)
              created++; // stored by this job before a restart
            else if (before) duplicates++;
            else fresh.push(report);
            seen.add(pair);
          }
          await this.db.insert(m, StolenReport, fresh);
          hits += (await this.matching.reportsAdded(m, fresh, now)).length;
          created += fresh.length;
          processed += chunk.length;
          await this.update(id, { processed, created, duplicates, hits }, m);
        },
        { background: true },
      );
      // How long the chunk held the writer, its commit included.
      sizer.took(chunk.length, performance.now() - started);
      await this.afterChunk(id, processed);
    }
    errors.sort((a, b) => a.line - b.line);
    await this.update(id, {
      status: 'done',
      processed,
      created,
      duplicates,
      hits,
      errors: errors.slice(0, 1000),
      content: null,
      finishedAt: new Date(),
    });
  }
}

/** A refusal of `build` as [code, message, field]: a date problem is INVALID_DATE on stolenAt. */
function problemOf(refusal: string): [string, string, string] {
  return refusal.startsWith('stolenAt')
    ? ['INVALID_DATE', refusal, 'stolenAt']
    : ['INVALID_IDENTIFIER', refusal, 'identifier'];
}

/**
 * The upload as rows: a JSON array of objects, or CSV with a header naming the columns. Parsed in
 * slices with turns of the event loop between them (the feed may be 32 MiB).
 */
export async function parseFeed(
  content: string,
  urgent?: () => boolean,
): Promise<{ rows: { line: number; values: Record<string, unknown> }[] } | { error: ImportError }> {
  const text = content.replace(/^\uFEFF/, '').trim();
  const rows: { line: number; values: Record<string, unknown> }[] = [];
  const pause = slicer(urgent);
  if (text.startsWith('[')) {
    const data = await parseJsonArrayInSlices(text, urgent);
    if (data === 'syntax')
      return {
        error: {
          line: 0,
          field: '',
          code: 'JSON_SYNTAX',
          message: 'The file is not a valid JSON array',
        },
      };
    if (data.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
      return {
        error: {
          line: 0,
          field: '',
          code: 'JSON_SHAPE',
          message: 'The JSON must be an array of report objects',
        },
      };
    }
    for (const [n, values] of (data as Record<string, unknown>[]).entries()) {
      rows.push({
        line: n + 1,
        values: Object.fromEntries(
          Object.entries(values).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]),
        ),
      });
      await pause();
    }
  } else {
    let records: { record: Record<string, string>; info: { lines: number } }[];
    try {
      records = await parseCsvInSlices(
        text,
        { columns: true, skip_empty_lines: true, trim: true, info: true },
        urgent,
      );
    } catch (e) {
      return {
        error: {
          line: (e as { lines?: number }).lines ?? 1,
          field: '',
          code: 'CSV_SYNTAX',
          message: `The file is not valid CSV: ${(e as Error).message}`,
        },
      };
    }
    const header = records.length ? Object.keys(records[0].record) : [];
    const unknown = header.find((h) => !COLUMNS.includes(h));
    if (unknown !== undefined)
      return {
        error: {
          line: 1,
          field: unknown,
          code: 'CSV_UNKNOWN_COLUMN',
          message: `Unknown column "${unknown}"; the columns are ${COLUMNS.join(', ')}`,
        },
      };
    for (const r of records) {
      rows.push({
        line: r.info.lines,
        values: Object.fromEntries(Object.entries(r.record).filter(([, v]) => v !== '')),
      });
      await pause();
    }
  }
  if (!rows.length)
    return { error: { line: 0, field: '', code: 'EMPTY', message: 'The file holds no reports' } };
  if (rows.length > MAX_IMPORT_ROWS)
    return {
      error: {
        line: 0,
        field: '',
        code: 'TOO_MANY_ROWS',
        message: `At most ${MAX_IMPORT_ROWS} reports per upload; this file holds ${rows.length}`,
      },
    };
  return { rows };
}
