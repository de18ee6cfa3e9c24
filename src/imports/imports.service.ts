import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { In, Repository } from 'typeorm';
import { acquisitionProblems } from '../acquisitions/acquisition-rules';
import { AcquisitionsService } from '../acquisitions/acquisitions.service';
import { CreateAcquisitionDto } from '../acquisitions/dto/acquisition.dto';
import { DorError } from '../common/dor-error';
import { validationProblems } from '../common/validation-failed';
import type { Caller } from '../common/roles';
import { Db } from '../database/db.service';
import { JobRunner, whenJobDone } from '../common/background-jobs';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { toCaller } from '../users/user.mapper';
import { UsersRepository } from '../users/users.repository';
import { groupAcquisitions, locate, parseCsv } from './csv-rows';
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
 * CSV imports from a dealer's own software (API.md "imports"): every row is validated first; a
 * file with any invalid row imports nothing and lists every error with its line; a valid file is
 * registered in one transaction. Jobs live in the database: one interrupted by a restart runs again.
 */
@Injectable()
export class ImportsService implements OnApplicationBootstrap {
  private readonly runner = new JobRunner(new Logger('Imports'), 'Import');

  constructor(
    @InjectRepository(ImportJob) private readonly jobs: Repository<ImportJob>,
    private readonly db: Db,
    private readonly acquisitions: AcquisitionsService,
    private readonly municipalities: MunicipalitiesService,
    private readonly users: UsersRepository,
  ) {}

  onApplicationBootstrap(): void {
    // Resume what a restart interrupted: nothing of it was written (all-or-nothing), so run it again.
    void this.jobs
      .findBy({ status: In(['queued', 'running']) })
      .then((open) => open.forEach((j) => this.schedule(j.id)));
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
    });
    await this.db.transaction((m) => m.getRepository(ImportJob).insert(job));
    this.schedule(job.id);
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

  private schedule(id: string): void {
    this.runner.schedule(
      id,
      () => this.run(id),
      () =>
        this.finish(id, 'failed', 0, [
          {
            line: 0,
            field: '',
            message: 'The import could not be completed; nothing was imported. Try again.',
          },
        ]),
    );
  }

  private async update(id: string, fields: Partial<ImportJob>): Promise<void> {
    await this.db.transaction((m) => m.getRepository(ImportJob).update({ id }, fields));
  }

  private async finish(
    id: string,
    status: 'done' | 'failed',
    created: number,
    errors: ImportError[],
  ): Promise<void> {
    await this.update(id, { status, created, errors, content: null, finishedAt: new Date() });
  }

  private async run(id: string): Promise<void> {
    const job = await this.jobs.findOneByOrFail({ id });
    if (job.status === 'done' || job.status === 'failed') return;
    const user = await this.users.findById(job.userId);
    if (!user || !user.active)
      return this.finish(id, 'failed', 0, [
        { line: 0, field: '', message: 'The account that uploaded this file is no longer active' },
      ]);
    const caller = toCaller(user);
    await this.update(id, { status: 'running', processed: 0, errors: [] });

    const parsed = parseCsv(job.content ?? '');
    const grouped = groupAcquisitions(parsed.rows);
    const errors: ImportError[] = [...parsed.errors, ...grouped.errors];
    await this.update(id, { total: parsed.rows.length });
    let dealerStatusError: ImportError | null = null;
    let municipality;
    try {
      const dealer = await this.acquisitions.ownDealer(caller);
      municipality = await this.municipalities.find(dealer.municipalityCode);
    } catch (e) {
      dealerStatusError = {
        line: 0,
        field: '',
        message: e instanceof Error ? e.message : 'The dealer may not register',
      };
    }
    if (dealerStatusError || !municipality)
      return this.finish(id, 'failed', 0, [dealerStatusError!]);

    const now = new Date();
    const valid: CreateAcquisitionDto[] = [];
    let processed = 0;
    for (const a of grouped.acquisitions) {
      const dto = plainToInstance(CreateAcquisitionDto, a.body);
      const problems = validationProblems(
        await validate(dto, { whitelist: true, forbidNonWhitelisted: true }),
      );
      if (!problems.length) {
        problems.push(...acquisitionProblems(dto, municipality, now));
        const ref = await this.acquisitions.externalRefState(job.dealerId, dto);
        if (ref === 'different')
          problems.push({
            path: 'externalRef',
            code: 'EXTERNAL_REF_CONFLICT',
            message: `externalRef ${dto.externalRef} was already used for a different acquisition`,
          });
        if (ref === 'none' && !problems.length) valid.push(dto);
      }
      for (const p of problems)
        errors.push({ ...locate(a, p.path), code: p.code, message: p.message });
      processed += a.lines.length;
      if (processed % 200 < a.lines.length) await this.update(id, { processed });
    }
    await this.update(id, { processed });
    errors.sort((x, y) => x.line - y.line);
    if (errors.length) return this.finish(id, 'failed', 0, errors);
    if (!valid.length) return this.finish(id, 'done', 0, []);
    await this.acquisitions.registerAll(caller, valid, async (m, lines) => {
      await m
        .getRepository(ImportJob)
        .update(
          { id },
          { status: 'done', created: lines, errors: [], content: null, finishedAt: new Date() },
        );
    });
  }
}
