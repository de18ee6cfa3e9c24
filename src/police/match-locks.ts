import { foldLookalikes, MIN_CONTAINED_LENGTH } from '../acquisitions/identifiers';

/**
 * The PostgreSQL advisory locks that keep R12 matching complete when a line and a stolen report
 * are committed at the same moment (each transaction's matching statement would otherwise miss
 * the other's uncommitted row). Pure functions; `MatchingService` takes the locks.
 *
 * A line and a report that could match take at least one common lock in conflicting modes, so the
 * second waits until the first has committed and then sees it; a line and a report that cannot
 * match almost never share one (only on a 32-bit hash collision). Lines never wait for lines
 * (except for the same identifier), so registrations no longer share one global lock.
 *
 * Two lock spaces on 6-character pieces ("grams") of the folded key:
 * - W, "the report is contained in (or equal to) the line": a line takes every gram of its key
 *   (shared), a report the last gram of its key (exclusive). A report of ≥ 6 characters contained
 *   in a line key has its last gram among the line's grams.
 * - C, "the line is contained in the report": a line takes the last gram of its key (exclusive), a
 *   report every gram of its key (shared).
 * Keys shorter than 6 characters match only when equal: the whole key in W (line shared, report
 * exclusive).
 *
 * A transaction with many lines (an import, a large batch) would need too many locks: it takes the
 * guard lock exclusively instead, and every report transaction takes the guard shared. So a large
 * import waits for the stolen reports being stored (and they for it), never for registrations.
 */

/** One advisory lock: pg_advisory_xact_lock(space, key) — the two-int form, apart from any bigint lock. */
export interface MatchLock {
  space: number;
  key: number;
  exclusive: boolean;
}

/** int4 lock spaces ("DOR" + 0/1/2). */
export const GUARD_SPACE = 0x444f5200;
export const CONTAINED_IN_LINE_SPACE = 0x444f5201;
export const LINE_CONTAINED_SPACE = 0x444f5202;

/** At most this many locks for the lines of one transaction; beyond it the guard lock (exclusive). */
export const LINE_LOCK_BUDGET = 256;
/** A stolen-report transaction takes at most about this many locks (the feed is stored in chunks that fit). */
export const REPORT_LOCK_BUDGET = 512;

const GRAM = MIN_CONTAINED_LENGTH;

/** FNV-1a, 32 bits, as a signed int4. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

function grams(folded: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i + GRAM <= folded.length; i++) out.add(folded.slice(i, i + GRAM));
  return [...out];
}

const lock = (space: number, piece: string, exclusive: boolean): MatchLock => ({
  space,
  key: hash32(piece),
  exclusive,
});

/** The locks a new or corrected line with these comparison keys takes. */
export function lineLocks(keys: string[]): MatchLock[] {
  const out: MatchLock[] = [];
  for (const key of keys) {
    const f = foldLookalikes(key);
    if (!f) continue;
    if (f.length < GRAM) {
      out.push(lock(CONTAINED_IN_LINE_SPACE, f, false));
      continue;
    }
    for (const g of grams(f)) out.push(lock(CONTAINED_IN_LINE_SPACE, g, false));
    out.push(lock(LINE_CONTAINED_SPACE, f.slice(-GRAM), true));
  }
  return out;
}

/** The locks a new stolen report with this comparison key takes (the guard not included). */
export function reportLocks(identifierKey: string): MatchLock[] {
  const f = foldLookalikes(identifierKey);
  if (!f) return [];
  if (f.length < GRAM) return [lock(CONTAINED_IN_LINE_SPACE, f, true)];
  return [
    lock(CONTAINED_IN_LINE_SPACE, f.slice(-GRAM), true),
    ...grams(f).map((g) => lock(LINE_CONTAINED_SPACE, g, false)),
  ];
}

/** The guard: taken shared by every report transaction, exclusively by a transaction with many lines. */
export function guardLock(exclusive: boolean): MatchLock {
  return { space: GUARD_SPACE, key: 0, exclusive };
}

/**
 * One lock per (space, key), exclusive when any request for it is, sorted by (space, key): every
 * transaction takes its locks in this one global order, so two of them never wait for each other
 * in a circle.
 */
export function normalise(locks: MatchLock[]): MatchLock[] {
  const byId = new Map<string, MatchLock>();
  for (const l of locks) {
    const id = `${l.space}:${l.key}`;
    const before = byId.get(id);
    if (!before || (l.exclusive && !before.exclusive)) byId.set(id, l);
  }
  return [...byId.values()].sort((a, b) => a.space - b.space || a.key - b.key);
}

/** Whether two transactions holding these locks would wait for one another (tests; the database decides in practice). */
export function conflict(a: MatchLock[], b: MatchLock[]): boolean {
  const held = new Map(normalise(a).map((l) => [`${l.space}:${l.key}`, l.exclusive]));
  return normalise(b).some((l) => {
    const other = held.get(`${l.space}:${l.key}`);
    return other !== undefined && (other || l.exclusive);
  });
}
