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
import { Repository, type EntityManager } from 'typeorm';
import { acquisitionProblems } from '../acquisitions/acquisition-rules';
import { AcquisitionsService } from '../acquisitions/acquisitions.service';
import { CreateAcquisitionDto } from '../acquisitions/dto/acquisition.dto';
import { DorError } from '../common/dor-error';
import { validationProblems, type FieldProblem } from '../common/validation-failed';
import { chunks } from '../common/chunks';
import { ChunkSizer, slicer } from '../common/event-loop';
import type { Caller } from '../common/roles';
import { Db } from '../database/db.service';
import { JobQueue, LeaseLost, whenJobDone } from '../common/background-jobs';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { toCaller } from '../users/user.mapper';
import { UsersRepository } from '../users/users.repository';
import { groupAcquisitions, locate, parseCsv, type CsvAcquisition } from './csv-rows';
import { StagedRegister, type HeldRegister } from './staged-register';
import { ImportJob, type ImportError, type JobColumns } from './import-job.entity';

export interface ImportView {
  id: string;
  fileName: string;
  status: ImportJob['status'];
  total: number;
  processed: number;
  created: number;
  errors: ImportError[];
  createdAt: string;
  finishedAt: string | null;
}

/** What any import job shows of itself: status, progress and errors by line (never the upload). */
export function toImportView(j: JobColumns): ImportView {
  return {
    id: j.id,
    fileName: j.fileName,
    status: j.status,
    total: j.total,
    processed: j.processed,
    created: j.created,
    errors: j.errors,
    createdAt: j.createdAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Lines written per transaction: at most this many, and as many as take about CHUNK_TARGET_MS
 * (ChunkSizer), so that other writes (logins, searches' access log, other dealers) wait little.
 */
export const CHUNK_LINES = 250;
const FIRST_CHUNK_LINES = 50;
/** Acquisitions checked per lookup of their externalRefs. */
const CHECK_SLICE = 500;
const NOTHING_IMPORTED = 'The import could not be completed; nothing was imported. Try again.';
/** The import's transactions wait behind those of requests (Db: the writer's background lane). */
const BACKGROUND = { background: true };

/** The file's rows refused while its lines were being written (nothing of it stays). */
class ImportRefused extends Error {
  constructor(readonly errors: ImportError[]) {
    super('import refused');
  }
}

/**
 * CSV imports from a dealer's own software (API.md "imports"): every row is checked first; a
 * file with any invalid row imports nothing and lists every error with its line. A valid file is
 * written in chunks of about 250 lines, each in a short transaction, hidden until the last chunk
 * is written, then published in one statement (see `StagedRegister`): all or nothing, and the
 * server goes on serving meanwhile. Jobs live in the database, claimed by one node at a time
 * (JobQueue): one interrupted by a restart or a dead node goes on where it was (checking again from
 * the start, writing from the next chunk, or removing what a failed import wrote), and every
 * chunk commits only while this node still holds the job.
 */
@Injectable()
export class ImportsService implements OnApplicationBootstrap, OnModuleDestroy {
  /** The jobs' claims across nodes (public for operations and tests). */
  readonly queue: JobQueue<ImportJob>;
  private readonly logger = new Logger('Imports');

  constructor(
    @InjectRepository(ImportJob) private readonly jobs: Repository<ImportJob>,
    private readonly db: Db,
    private readonly acquisitions: AcquisitionsService,
    private readonly municipalities: MunicipalitiesService,
    private readonly users: UsersRepository,
    private readonly staged: StagedRegister,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.queue = new JobQueue(db, ImportJob, {
      what: 'Import',
      logger: this.logger,
      nodeId: config.nodeId,
      leaseSeconds: config.jobLeaseSeconds,
      run: (id) => this.run(id),
      onFailure: (id, reason) => this.failed(id, reason),
    });
  }

  onApplicationBootstrap(): void {
    // Claims what waits, also what a restart or a dead node interrupted: it goes on as its phase says.
    this.queue.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.stop();
  }

  async enqueue(caller: Caller, fileName: string, content: Buffer): Promise<ImportJob> {
    const dealer = await this.acquisitions.ownDealer(caller);
    const job = this.jobs.create({
      dealerId: dealer.id,
      userId: caller.id,
      fileName: fileName.slice(0, 200) || 'import.csv',
      status: 'queued',
      total: 0,
      processed: 0,
      created: 0,
      errors: [],
      content: content.toString('utf8'),
      finishedAt: null,
      phase: null,
      registeredAt: null,
      written: 0,
      lastRegisterNumber: null,
      chainLength: null,
      chainHead: null,
    });
    await this.db.transaction((m) => m.getRepository(ImportJob).insert(job));
    this.queue.kick(job.id);
    return job;
  }

  async get(caller: Caller, id: string): Promise<ImportView> {
    const job = await this.jobs.findOneBy({ id });
    if (!job || job.dealerId !== caller.dealerId) throw DorError.notFound('Import');
    return toImportView(job);
  }

  async recent(caller: Caller, limit = 10): Promise<ImportView[]> {
    if (!caller.dealerId) return [];
    return (
      await this.jobs.find({
        where: { dealerId: caller.dealerId },
        order: { createdAt: 'DESC' },
        take: limit,
      })
    ).map(toImportView);
  }

  /** Resolves when the job has ended (for tests and the demo). */
  async whenDone(id: string, timeoutMs = 30_000): Promise<ImportView> {
    return toImportView(await whenJobDone(() => this.jobs.findOneByOrFail({ id }), timeoutMs));
  }

  /** Runs after each chunk has been committed, outside any transaction (a seam for tests: a pause, a simulated crash). */
  async afterChunk(_jobId: string, _written: number): Promise<void> {}

  /**
   * The job's state, only while this node holds the job — in `m` (the work's own transaction, so
   * that it rolls back too) or a transaction of its own; else LeaseLost: another node has it.
   */
  private async update(id: string, fields: Partial<ImportJob>, m?: EntityManager): Promise<void> {
    await this.queue.updateOwned(id, fields, m);
  }

  /** Whether the job's slices of work on the event loop should be short: a write transaction is open. */
  private readonly urgent = () => this.db.writesInProgress > 0;

  private async finish(
    id: string,
    status: 'done' | 'failed',
    created: number,
    errors: ImportError[],
  ): Promise<void> {
    await this.update(id, {
      status,
      phase: null,
      created,
      errors,
      content: null,
      finishedAt: new Date(),
    });
  }

  private async run(id: string): Promise<void> {
    const job = await this.jobs.findOneByOrFail({ id });
    if (job.status === 'done' || job.status === 'failed') return;
    if (job.phase === 'discarding') return this.discard(job, job.errors);
    const user = await this.users.findById(job.userId);
    const gone: ImportError[] = [
      { line: 0, field: '', message: 'The account that uploaded this file is no longer active' },
    ];
    if (!user || !user.active)
      return job.phase === 'writing' ? this.discard(job, gone) : this.finish(id, 'failed', 0, gone);
    const caller = toCaller(user);

    let acquisitions: CsvAcquisition[];
    let held: HeldRegister;
    if (job.phase === 'writing') {
      // Interrupted while writing: the file was checked; go on with the next chunk.
      acquisitions = groupAcquisitions(
        (await parseCsv(job.content ?? '', this.urgent)).rows,
      ).acquisitions;
      held = {
        jobId: id,
        dealerId: job.dealerId,
        registeredAt: job.registeredAt!,
        lastRegisterNumber: job.lastRegisterNumber!,
        chainLength: job.chainLength!,
        chainHead: job.chainHead!,
      };
    } else {
      const checked = await this.check(job, caller);
      if ('errors' in checked)
        return this.finish(id, checked.errors.length ? 'failed' : 'done', 0, checked.errors);
      acquisitions = checked.acquisitions;
      try {
        held = await this.db.transaction(async (m) => {
          const h = await this.staged.hold(m, id, job.dealerId, new Date());
          const { lastRegisterNumber, chainLength, chainHead, registeredAt } = h;
          await this.update(
            id,
            {
              phase: 'writing',
              written: 0,
              registeredAt,
              lastRegisterNumber,
              chainLength,
              chainHead,
            },
            m,
          );
          return h;
        }, BACKGROUND);
      } catch (e) {
        // Another import holds the dealer's register: hand this job back to wait in the queue
        // instead of keeping one of the node's job places (the holder may need it to finish).
        if (e instanceof DorError && e.code === 'REGISTER_BUSY') return this.queue.handBack(id);
        if (e instanceof DorError && e.status < 500)
          return this.finish(id, 'failed', 0, [{ line: 0, field: '', message: e.message }]);
        throw e;
      }
    }
    try {
      await this.write(id, caller, held, acquisitions, job.phase === 'writing' ? job.written : 0);
    } catch (e) {
      // Another node has taken the job over: it goes on with it; nothing to remove here.
      if (e instanceof LeaseLost) throw e;
      if (!(e instanceof ImportRefused) && !(e instanceof DorError && e.status < 500)) {
        this.logger.error(
          `Import ${id} failed while writing: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      const errors =
        e instanceof ImportRefused
          ? e.errors
          : [
              {
                line: 0,
                field: '',
                message: e instanceof DorError && e.status < 500 ? e.message : NOTHING_IMPORTED,
              },
            ];
      await this.discard(job, errors);
    }
  }

  /**
   * Checks every row with the API's rules (in slices, so the server goes on answering); returns
   * the errors by line, or the acquisitions to write. No errors and nothing to write (every row
   * already imported) is `{errors: []}`.
   */
  private async check(
    job: ImportJob,
    caller: Caller,
  ): Promise<{ errors: ImportError[] } | { acquisitions: CsvAcquisition[] }> {
    const id = job.id;
    await this.update(id, { status: 'running', processed: 0, errors: [] });
    const parsed = await parseCsv(job.content ?? '', this.urgent);
    const grouped = groupAcquisitions(parsed.rows);
    const errors: ImportError[] = [...parsed.errors, ...grouped.errors];
    await this.update(id, { total: parsed.rows.length });
    let municipality;
    try {
      const dealer = await this.acquisitions.ownDealer(caller);
      municipality = await this.municipalities.find(dealer.municipalityCode);
    } catch (e) {
      return {
        errors: [
          {
            line: 0,
            field: '',
            message: e instanceof Error ? e.message : 'The dealer may not register',
          },
        ],
      };
    }

    const now = new Date();
    const pause = slicer(this.urgent);
    let processed = 0;
    let reported = 0;
    let fresh = 0;
    for (const slice of chunks(grouped.acquisitions, CHECK_SLICE)) {
      const checked: { a: CsvAcquisition; dto: CreateAcquisitionDto; problems: FieldProblem[] }[] =
        [];
      for (const a of slice) {
        const dto = plainToInstance(CreateAcquisitionDto, a.body);
        const problems = validationProblems(
          await validate(dto, { whitelist: true, forbidNonWhitelisted: true }),
        );
        if (!problems.length) problems.push(...acquisitionProblems(dto, municipality, now));
        checked.push({ a, dto, problems });
        await pause();
      }
      const states = await this.acquisitions.externalRefStates(
        job.dealerId,
        checked.map((c) => c.dto),
      );
      checked.forEach(({ a, dto, problems }, n) => {
        if (states[n] === 'different')
          problems.push({
            path: 'externalRef',
            code: 'EXTERNAL_REF_CONFLICT',
            message: `externalRef ${dto.externalRef} was already used for a different acquisition`,
          });
        if (states[n] === 'none' && !problems.length) fresh += 1;
        for (const p of problems)
          errors.push({ ...locate(a, p.path), code: p.code, message: p.message });
        processed += a.lines.length;
      });
      if (processed - reported >= 1000) {
        await this.update(id, { processed });
        reported = processed;
      }
    }
    await this.update(id, { processed });
    errors.sort((x, y) => x.line - y.line);
    if (errors.length || !fresh) return { errors };
    return { acquisitions: grouped.acquisitions };
  }

  /**
   * Writes the acquisitions from `from` on in chunks of at most CHUNK_LINES lines (an acquisition
   * is never split), each chunk with the job's progress in one short transaction, then publishes
   * the import with the job marked done.
   */
  private async write(
    id: string,
    caller: Caller,
    held: HeldRegister,
    acquisitions: CsvAcquisition[],
    from: number,
  ): Promise<void> {
    const dealer = await this.acquisitions.ownDealer(caller);
    const municipality = await this.municipalities.find(dealer.municipalityCode);
    let written = from;
    const sizer = new ChunkSizer(FIRST_CHUNK_LINES, 5, CHUNK_LINES);
    while (written < acquisitions.length) {
      let end = written;
      let lines = 0;
      while (
        end < acquisitions.length &&
        lines < sizer.next &&
        lines + acquisitions[end].lines.length <= CHUNK_LINES
      )
        lines += acquisitions[end++].lines.length;
      if (end === written) lines += acquisitions[end++].lines.length; // one acquisition with more lines than a chunk
      const part = acquisitions.slice(written, end);
      const dtos = part.map((a) => plainToInstance(CreateAcquisitionDto, a.body));
      const prepared = await this.staged.prepare(caller, held, municipality, dtos, this.urgent);
      if ('conflicts' in prepared) {
        throw new ImportRefused(
          prepared.conflicts.map((n) => ({
            line: part[n].lines[0],
            field: 'externalRef',
            code: 'EXTERNAL_REF_CONFLICT',
            message: `externalRef ${dtos[n].externalRef} was registered meanwhile for a different acquisition`,
          })),
        );
      }
      let started = 0;
      await this.db.transaction(async (m) => {
        started = performance.now();
        const next = await this.staged.writeChunk(m, prepared);
        const { lastRegisterNumber, chainLength, chainHead } = next;
        await this.update(id, { written: end, lastRegisterNumber, chainLength, chainHead }, m);
        held = next;
      }, BACKGROUND);
      // How long the chunk held the writer, its commit included.
      sizer.took(lines, performance.now() - started);
      written = end;
      await this.afterChunk(id, written);
    }
    await this.db.transaction(async (m) => {
      const created = await this.staged.publish(m, held);
      await this.update(id, {
        status: 'done',
        phase: null,
        created,
        errors: [],
        content: null,
        finishedAt: new Date(),
      });
    }, BACKGROUND);
  }

  /** Removes what the import wrote (chunk by chunk), hands the dealer's register back and marks the job failed. */
  private async discard(job: ImportJob, errors: ImportError[]): Promise<void> {
    await this.update(job.id, { phase: 'discarding', errors });
    while ((await this.staged.discardSome(job.id)) > 0) {
      // each chunk removed in its own short transaction
    }
    await this.db.transaction(async (m) => {
      await this.staged.release(m, job.id, job.dealerId);
      await this.update(job.id, {
        status: 'failed',
        phase: null,
        created: 0,
        errors,
        content: null,
        finishedAt: new Date(),
      });
    }, BACKGROUND);
  }

  /**
   * The job threw, or was interrupted too often: whatever it wrote is removed and it is marked
   * failed; if even that fails, the next node to claim the job (when this lease ends) removes it.
   */
  private async failed(id: string, reason: 'error' | 'attempts'): Promise<void> {
    const job = await this.jobs.findOneBy({ id });
    if (!job || job.status === 'done' || job.status === 'failed') return;
    const message =
      reason === 'attempts'
        ? 'The import was interrupted too often and was stopped; nothing was imported. Try again.'
        : NOTHING_IMPORTED;
    const errors: ImportError[] =
      job.phase === 'discarding' ? job.errors : [{ line: 0, field: '', message }];
    if (!job.phase) return this.finish(id, 'failed', 0, errors);
    try {
      await this.discard(job, errors);
    } catch (e) {
      this.logger.error(
        `Import ${id}: removing what it wrote failed (${e instanceof Error ? e.message : String(e)}); the job is claimed again when its lease ends`,
      );
    }
  }
}
