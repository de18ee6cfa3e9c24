import type { Logger } from '@nestjs/common';

/**
 * Runs background jobs (imports) that live in the database: each job id at most once at a time in
 * this process, after the current request has been answered. A job that throws is handed to
 * `onFailure` (which marks it failed) and logged without its data.
 */
export class JobRunner {
  private readonly running = new Set<string>();

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  schedule(id: string, run: () => Promise<void>, onFailure: () => Promise<void>): void {
    if (this.running.has(id)) return;
    this.running.add(id);
    setImmediate(() => {
      run()
        .catch(async (e: unknown) => {
          this.logger.error(`${this.what} ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
          await onFailure().catch(() => undefined);
        })
        .finally(() => this.running.delete(id));
    });
  }
}

/** Resolves when the job read by `read` has ended, or after the timeout with its state then (tests, demo). */
export async function whenJobDone<T extends { status: string }>(read: () => Promise<T>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await read();
    if (job.status === 'done' || job.status === 'failed' || Date.now() > until) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}
