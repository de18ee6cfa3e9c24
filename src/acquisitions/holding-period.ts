/**
 * The Dutch working-day calendar and the holding period (bewaartermijn, DOMAIN.md R8).
 *
 * Pure functions: no Nest, no database, and no dependence on the machine's time zone. Calendar
 * dates are ISO strings ('YYYY-MM-DD') and are computed with UTC arithmetic; only the step
 * between an instant and an Amsterdam calendar date goes through Intl with 'Europe/Amsterdam'.
 */

export const AMSTERDAM_TIME_ZONE = 'Europe/Amsterdam';

export interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): CalendarDate {
  assertGregorianYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { year, month, day };
}

/** Names of the public holidays of the Algemene termijnenwet (art. 3), as they are known in Dutch. */
export type PublicHolidayName =
  | 'Nieuwjaarsdag'
  | 'Tweede Paasdag'
  | 'Koningsdag'
  | 'Bevrijdingsdag'
  | 'Hemelvaartsdag'
  | 'Tweede Pinksterdag'
  | 'Eerste Kerstdag'
  | 'Tweede Kerstdag';

const holidayCache = new Map<number, ReadonlyMap<string, PublicHolidayName>>();

function holidaysOf(year: number): ReadonlyMap<string, PublicHolidayName> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const easter = toIsoDate(easterSunday(year));
  const kingsDay = dayOfWeek(`${pad4(year)}-04-27`) === 0 ? '04-26' : '04-27';
  const entries: Array<[string, PublicHolidayName]> = [
    [`${pad4(year)}-01-01`, 'Nieuwjaarsdag'],
    [addDays(easter, 1), 'Tweede Paasdag'],
    [`${pad4(year)}-${kingsDay}`, 'Koningsdag'],
    // The Algemene termijnenwet lists "de vijfde mei" every year (not only every fifth year).
    [`${pad4(year)}-05-05`, 'Bevrijdingsdag'],
    [addDays(easter, 39), 'Hemelvaartsdag'],
    [addDays(easter, 50), 'Tweede Pinksterdag'],
    [`${pad4(year)}-12-25`, 'Eerste Kerstdag'],
    [`${pad4(year)}-12-26`, 'Tweede Kerstdag'],
  ];
  // Hemelvaartsdag can fall on 5 May (e.g. 2016); the first name wins, the date counts once.
  const byDate = new Map<string, PublicHolidayName>();
  for (const [date, name] of entries.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    if (!byDate.has(date)) byDate.set(date, name);
  }
  holidayCache.set(year, byDate);
  return byDate;
}

/** ISO dates ('YYYY-MM-DD', ascending, without duplicates) of the Algemene termijnenwet holidays. */
export function publicHolidays(year: number): string[] {
  return [...holidaysOf(year).keys()];
}

/** The holiday's name when `isoDate` is an Algemene termijnenwet holiday, otherwise null. */
export function publicHolidayName(isoDate: string): PublicHolidayName | null {
  const { year } = parseIsoDate(isoDate);
  return holidaysOf(year).get(isoDate) ?? null;
}

/** Monday–Friday and not an Algemene termijnenwet holiday. */
export function isWorkingDay(isoDate: string): boolean {
  const weekday = dayOfWeek(isoDate);
  return weekday !== 0 && weekday !== 6 && publicHolidayName(isoDate) === null;
}

/**
 * R8: the instant from which an item acquired at `acquiredAt` may be sold — 00:00 Europe/Amsterdam
 * of the day after the N-th working day after the acquisition date (the Amsterdam calendar date of
 * `acquiredAt`; that date itself never counts). N = 0: the start of the day after acquisition.
 */
export function sellableFrom(acquiredAt: Date, workingDays: number): Date {
  if (!Number.isInteger(workingDays) || workingDays < 0) {
    throw new RangeError(`workingDays must be a non-negative integer, got ${workingDays}`);
  }
  let day = amsterdamDate(acquiredAt);
  for (let counted = 0; counted < workingDays;) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) counted += 1;
  }
  return startOfAmsterdamDay(addDays(day, 1));
}

const amsterdamFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: AMSTERDAM_TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

interface WallClock extends CalendarDate {
  hour: number;
  minute: number;
  second: number;
}

function amsterdamWallClock(instant: Date): WallClock {
  const fields: Record<string, number> = {};
  for (const part of amsterdamFormat.formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year,
    month: fields.month,
    day: fields.day,
    // Some ICU versions render midnight as 24 despite h23.
    hour: fields.hour % 24,
    minute: fields.minute,
    second: fields.second,
  };
}

/** The calendar date ('YYYY-MM-DD') of `instant` in Europe/Amsterdam. */
export function amsterdamDate(instant: Date): string {
  assertValidInstant(instant);
  return toIsoDate(amsterdamWallClock(instant));
}

/** Amsterdam's offset from UTC (ms, +1 h in winter, +2 h in summer) at `epochMs`. */
function amsterdamOffsetMs(epochMs: number): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  const w = amsterdamWallClock(new Date(wholeSecond));
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - wholeSecond;
}

/** The UTC instant of 00:00 Europe/Amsterdam on `isoDate` (23:00Z the day before in winter, 22:00Z in summer). */
export function startOfAmsterdamDay(isoDate: string): Date {
  const { year, month, day } = parseIsoDate(isoDate);
  const midnightAsIfUtc = Date.UTC(year, month - 1, day);
  // First guess with the offset at midnight UTC, then correct once with the offset at the guess
  // (they differ only when a DST change falls between the two, which is never at midnight here).
  const firstGuess = midnightAsIfUtc - amsterdamOffsetMs(midnightAsIfUtc);
  return new Date(midnightAsIfUtc - amsterdamOffsetMs(firstGuess));
}

/** Parses a strict 'YYYY-MM-DD' calendar date; throws a RangeError for anything else. */
function parseIsoDate(isoDate: string): CalendarDate {
  const match = ISO_DATE.exec(isoDate);
  if (!match) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${JSON.stringify(isoDate)}`);
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  if (
    check.getUTCFullYear() !== date.year ||
    check.getUTCMonth() !== date.month - 1 ||
    check.getUTCDate() !== date.day
  ) {
    throw new RangeError(`Not a calendar date: ${isoDate}`);
  }
  return date;
}

function toIsoDate({ year, month, day }: CalendarDate): string {
  return `${pad4(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A calendar date plus (or minus) whole days, YYYY-MM-DD. */
export function addDays(isoDate: string, days: number): string {
  const { year, month, day } = parseIsoDate(isoDate);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
function dayOfWeek(isoDate: string): number {
  const { year, month, day } = parseIsoDate(isoDate);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

function pad4(year: number): string {
  return String(year).padStart(4, '0');
}

function assertGregorianYear(year: number): void {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`year must be an integer from 1583 to 9999, got ${year}`);
  }
}

function assertValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError('Not a valid Date');
  }
}
