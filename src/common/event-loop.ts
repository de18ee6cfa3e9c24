import type { NextFunction, Request, Response } from 'express';
import { parse, type Options } from 'csv-parse';

/** Work done between two turns of the event loop by a long job (parsing, validating a file). */
export const SLICE_MS = 8;
/**
 * The same while HTTP requests are being answered or `urgent()` (e.g. a write transaction is
 * open): each step of a request, or each statement of the transaction, waits for the event loop.
 */
export const URGENT_SLICE_MS = 1;

let requestsInFlight = 0;

/** Middleware (configureApp): counts the requests being answered, for `slicer`. */
export function countRequests(_req: Request, res: Response, next: NextFunction): void {
  requestsInFlight += 1;
  res.once('close', () => (requestsInFlight -= 1));
  next();
}

/**
 * A long job on the event loop calls the returned function often (after each row, say): once
 * `budgetMs` of work has passed since the last turn (URGENT_SLICE_MS while requests are being
 * answered or `urgent()`), it waits for the event loop (setImmediate), so requests that arrived
 * meanwhile — and the statements of an open transaction — go on before the job does.
 */
export function slicer(
  urgent: () => boolean = () => false,
  budgetMs = SLICE_MS,
): () => Promise<void> {
  let since = performance.now();
  return async () => {
    const spent = performance.now() - since;
    if (spent < URGENT_SLICE_MS) return;
    if (spent < budgetMs && requestsInFlight === 0 && !urgent()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}

/** Text fed to a streaming parser at a time. */
const TEXT_SLICE = 64 * 1024;

/**
 * csv-parse's streaming parser fed in slices with a turn of the event loop between them: the same
 * records (and the same errors, thrown) as its synchronous `parse`, without blocking the server for
 * the whole file. CRLF becomes LF first, so that a CRLF inside a quoted cell counts as one line.
 */
export async function parseCsvInSlices<T>(
  text: string,
  options: Options,
  urgent?: () => boolean,
): Promise<T[]> {
  const parser = parse(options);
  const records: T[] = [];
  const state: { failure?: Error } = {};
  parser.on('data', (r: T) => records.push(r));
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', (e: Error) => {
      state.failure = e;
      resolve();
    });
  });
  const pause = slicer(urgent);
  for (let at = 0; at < text.length && !state.failure;) {
    let end = Math.min(text.length, at + TEXT_SLICE);
    // Never split a CRLF or a surrogate pair between two slices.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && (last === 13 || (last >= 0xd800 && last <= 0xdbff))) end -= 1;
    parser.write(text.slice(at, end).replace(/\r\n/g, '\n'));
    at = end;
    await pause();
  }
  if (!state.failure) parser.end();
  await ended;
  if (state.failure) throw state.failure;
  return records;
}

/** Why a JSON text is not an array of values: not JSON at all, or more elements than allowed. */
export type JsonArrayProblem = 'syntax';

/**
 * `JSON.parse` of a top-level array, element by element, with turns of the event loop between
 * elements: the same values and the same verdict (any syntax error anywhere fails the whole text),
 * without blocking the server for a 32 MiB file.
 */
export async function parseJsonArrayInSlices(
  text: string,
  urgent?: () => boolean,
): Promise<unknown[] | JsonArrayProblem> {
  const pause = slicer(urgent);
  const out: unknown[] = [];
  let at = skipSpace(text, 0);
  if (text[at] !== '[') return 'syntax';
  at = skipSpace(text, at + 1);
  if (text[at] === ']') return skipSpace(text, at + 1) === text.length ? out : 'syntax';
  for (;;) {
    const end = valueEnd(text, at);
    if (end < 0) return 'syntax';
    try {
      out.push(JSON.parse(text.slice(at, end)));
    } catch {
      return 'syntax';
    }
    at = skipSpace(text, end);
    if (text[at] === ']') return skipSpace(text, at + 1) === text.length ? out : 'syntax';
    if (text[at] !== ',') return 'syntax';
    at = skipSpace(text, at + 1);
    await pause();
  }
}

function skipSpace(text: string, at: number): number {
  for (;;) {
    const c = text.charCodeAt(at);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return at;
    at += 1;
  }
}

/** The end (exclusive) of the JSON value starting at `at`, as far as brackets and strings show; -1 if it does not end. */
function valueEnd(text: string, at: number): number {
  const first = text[at];
  if (first === '"') return stringEnd(text, at);
  if (first !== '{' && first !== '[') {
    let end = at;
    while (end < text.length && !',]} \t\r\n'.includes(text[end])) end += 1;
    return end > at ? end : -1;
  }
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const end = stringEnd(text, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === 123 || c === 91) depth += 1;
    else if (c === 125 || c === 93) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The end (exclusive) of the string whose opening quote is at `at`; -1 if it does not end. */
function stringEnd(text: string, at: number): number {
  let i = at + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** How long one chunk of a long job may hold the writer (its transaction), about. */
export const CHUNK_TARGET_MS = 25;

/**
 * The size of the next chunk a long job writes in its own transaction: after each chunk it is set
 * from the rows per millisecond the chunks so far took, so that one takes about `targetMs` on this
 * machine under its present load (a request waits for at most about that long), within [min, max].
 */
export class ChunkSizer {
  private rate: number | null = null;

  constructor(
    private size: number,
    private readonly min: number,
    private readonly max: number,
    private readonly targetMs = CHUNK_TARGET_MS,
  ) {}

  get next(): number {
    return this.size;
  }

  /** A chunk of `rows` rows held the writer for `ms`. */
  took(rows: number, ms: number): void {
    const rate = rows / Math.max(ms, 1);
    this.rate = this.rate === null ? rate : (this.rate + rate) / 2;
    this.size = Math.max(this.min, Math.min(this.max, Math.round(this.rate * this.targetMs)));
  }
}
