import type { Logger } from '@nestjs/common';
import type { EntityManager, EntityTarget, FindOptionsWhere } from 'typeorm';
import type { Db } from '../database/db.service';
import type { JobColumns } from '../imports/import-job.entity';

/** A node claimed this many times without finishing the job (each time it died or lost the lease): it fails. */
export const MAX_JOB_ATTEMPTS = 5;
/** Jobs of one kind that one node runs at the same time. */
const CONCURRENCY = 4;
const RUNNABLE = "('queued', 'running')";

/** The job is no longer this node's (its lease ended and another node took it over): stop, write nothing more. */
export class LeaseLost extends Error {
  constructor(id: string) {
    super(`job ${id} was taken over by another node`);
  }
}

export interface JobQueueOptions {
  /** "Import", "Stolen-report import": for the log. */
  what: string;
  logger: Logger;
  nodeId: string;
  leaseSeconds: number;
  /** Runs (or resumes) the job; every write of its state goes through `updateOwned`. */
  run: (id: string) => Promise<void>;
  /** Marks the job failed after `run` threw (through `updateOwned`). */
  onFailure: (id: string, reason: 'error' | 'attempts') => Promise<void>;
}

/**
 * Background jobs that live in the database (imports), claimed per node: a job row is claimed
 * atomically — PostgreSQL `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`, SQLite a
 * conditional UPDATE in its one write transaction — with a lease (`claimedBy`, `leaseUntil`) that a
 * heartbeat renews while the job runs. Every node polls for jobs that nobody holds: new ones, ones
 * released at a shutdown, and ones whose lease ended because their node died; those resume from
 * their progress. A write of a job's state succeeds only while the claim is this node's
 * (`updateOwned`), in the same commit as the work it records, so a node that lost its lease cannot
 * commit anything more of that job.
 */
export class JobQueue<T extends JobColumns> {
  private readonly running = new Set<string>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly entity: EntityTarget<T>,
    private readonly o: JobQueueOptions,
  ) {}

  get nodeId(): string {
    return this.o.nodeId;
  }

  /** Claims what is waiting now, then polls (every half lease, at most every 15 s). */
  start(): void {
    this.stopped = false;
    clearInterval(this.timer);
    this.kick();
    const every = Math.min(15_000, Math.max(1_000, (this.o.leaseSeconds * 1000) / 2));
    this.timer = setInterval(() => this.kick(), every);
    this.timer.unref();
  }

  /** Stops claiming and hands this node's jobs back, so that another node (or this one restarted) resumes them at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.db
      .transaction((m) =>
        m
          .createQueryBuilder()
          .update(this.entity)
          .set({ claimedBy: null, leaseUntil: null } as never)
          .where('"claimedBy" = :node', { node: this.nodeId })
          .andWhere(`status IN ${RUNNABLE}`)
          .execute(),
      )
      .catch(() => undefined);
  }

  /**
   * Hands a job this node holds back to the queue without counting the attempt (it waited for
   * something else, e.g. another import holding the dealer's register); any node claims it again.
   */
  async handBack(id: string): Promise<void> {
    await this.db.transaction((m) =>
      m
        .createQueryBuilder()
        .update(this.entity)
        .set({ claimedBy: null, leaseUntil: null, attempts: () => 'attempts - 1' } as never)
        .where('id = :id AND "claimedBy" = :node', { id, node: this.nodeId })
        .execute(),
    );
  }

  /** Tries to claim and run this job (just enqueued) or else any waiting one, as far as this node has room. */
  kick(id?: string): void {
    if (this.stopped) return;
    void this.fill(id).catch((e: unknown) =>
      this.o.logger.warn(`${this.o.what}: claiming failed: ${message(e)}`),
    );
  }

  /**
   * Writes the job's state only while this node holds its claim — in `m` (the work's own
   * transaction) or a transaction of its own; throws LeaseLost otherwise, so that `m` rolls back.
   */
  async updateOwned(id: string, fields: Partial<T>, m?: EntityManager): Promise<void> {
    const write = async (tx: EntityManager) => {
      const where = { id, claimedBy: this.nodeId } as unknown as FindOptionsWhere<T>;
      const res = await tx.getRepository(this.entity).update(where, fields as never);
      if (!res.affected) throw new LeaseLost(id);
    };
    if (m) await write(m);
    else await this.db.transaction(write);
  }

  private async fill(id?: string): Promise<void> {
    let wanted = id;
    while (!this.stopped && this.running.size < CONCURRENCY) {
      const claimed = await this.claim(wanted);
      if (!claimed && wanted) {
        wanted = undefined;
        continue;
      }
      if (!claimed) return;
      this.launch(claimed.id, claimed.attempts);
      wanted = undefined;
    }
  }

  /**
   * Claims one job that nobody holds (this one, or the oldest waiting), atomically across nodes;
   * null when there is none. Time is the database's on PostgreSQL (one clock for all nodes).
   */
  async claim(id?: string): Promise<{ id: string; attempts: number } | null> {
    const repo = this.db.repo(this.entity);
    const table = `"${repo.metadata.tableName}"`;
    const mine = [...this.running];
    if (!this.db.isSqlite) {
      const params: unknown[] = [this.nodeId, this.o.leaseSeconds];
      const only = id ? ` AND id = $${params.push(id)}` : '';
      const notMine = mine.length ? ` AND id <> ALL($${params.push(mine)}::varchar[])` : '';
      const rows = await this.db.transaction(async (m) => {
        const out = await m.query<[{ id: string; attempts: number }[], number]>(
          `UPDATE ${table} SET "claimedBy" = $1, "leaseUntil" = now() + make_interval(secs => $2), attempts = attempts + 1
            WHERE id IN (SELECT id FROM ${table}
                          WHERE status IN ${RUNNABLE} AND ("leaseUntil" IS NULL OR "leaseUntil" < now())${only}${notMine}
                          ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id, attempts`,
          params,
        );
        return out[0];
      });
      return rows[0] ?? null;
    }
    return this.db.transaction(async (m) => {
      const now = new Date();
      const qb = m
        .getRepository(this.entity)
        .createQueryBuilder('j')
        .select(['j.id', 'j.attempts'])
        .where(`j.status IN ${RUNNABLE}`)
        .andWhere('(j.leaseUntil IS NULL OR j.leaseUntil < :now)', { now })
        .orderBy('j.createdAt', 'ASC')
        .limit(1);
      if (id) qb.andWhere('j.id = :id', { id });
      if (mine.length) qb.andWhere('j.id NOT IN (:...mine)', { mine });
      const job = await qb.getOne();
      if (!job) return null;
      // Conditional: only while still unclaimed (SQLite has one writer, so nothing comes between).
      const res = await m
        .createQueryBuilder()
        .update(this.entity)
        .set({
          claimedBy: this.nodeId,
          leaseUntil: this.leaseEnd(),
          attempts: () => 'attempts + 1',
        })
        .where('id = :id', { id: job.id })
        .andWhere('("leaseUntil" IS NULL OR "leaseUntil" < :now)', { now })
        .execute();
      return res.affected ? { id: job.id, attempts: job.attempts + 1 } : null;
    });
  }

  /** Renews the lease while the job runs here; false when it is no longer this node's. */
  async heartbeat(id: string): Promise<boolean> {
    return this.db.transaction(async (m) => {
      if (!this.db.isSqlite) {
        const table = `"${m.getRepository(this.entity).metadata.tableName}"`;
        const [, count] = await m.query<[unknown, number]>(
          `UPDATE ${table} SET "leaseUntil" = now() + make_interval(secs => $1) WHERE id = $2 AND "claimedBy" = $3 AND status IN ${RUNNABLE}`,
          [this.o.leaseSeconds, id, this.nodeId],
        );
        return count > 0;
      }
      const res = await m
        .createQueryBuilder()
        .update(this.entity)
        .set({ leaseUntil: this.leaseEnd() })
        .where('id = :id AND "claimedBy" = :node', { id, node: this.nodeId })
        .andWhere(`status IN ${RUNNABLE}`)
        .execute();
      return !!res.affected;
    });
  }

  private leaseEnd(): Date {
    return new Date(Date.now() + this.o.leaseSeconds * 1000);
  }

  private launch(id: string, attempts: number): void {
    this.running.add(id);
    this.o.logger.log(`${this.o.what} ${id} claimed by ${this.nodeId} (attempt ${attempts})`);
    const beat = setInterval(
      () => void this.heartbeat(id).catch(() => undefined),
      Math.max(200, (this.o.leaseSeconds * 1000) / 3),
    );
    beat.unref();
    setImmediate(() => {
      const work = attempts > MAX_JOB_ATTEMPTS ? this.o.onFailure(id, 'attempts') : this.o.run(id);
      work
        .catch(async (e: unknown) => {
          if (e instanceof LeaseLost || this.stopped) {
            this.o.logger.warn(`${this.o.what} ${id} stopped on ${this.nodeId}: ${message(e)}`);
            return;
          }
          this.o.logger.error(`${this.o.what} ${id} failed: ${message(e)}`);
          await this.o.onFailure(id, 'error').catch(() => undefined);
        })
        .finally(() => {
          clearInterval(beat);
          this.running.delete(id);
          this.kick();
        });
    });
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Resolves when the job read by `read` has ended, or after the timeout with its state then (tests, demo). */
export async function whenJobDone<T extends { status: string }>(
  read: () => Promise<T>,
  timeoutMs: number,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await read();
    if (job.status === 'done' || job.status === 'failed' || Date.now() > until) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}
