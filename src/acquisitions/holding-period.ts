/**
 * The Dutch working-day calendar and the holding period (bewaartermijn, DOMAIN.md R8).
 *
 * Pure functions: no Nest, no database, and no dependence on the machine's time zone. Calendar
 * dates are ISO strings ('YYYY-MM-DD') and are computed with UTC arithmetic; only the step
 * between an instant and an Amsterdam calendar date goes through Intl with 'Europe/Amsterdam'.
 *
 * The non-working days are those of the Algemene termijnenwet (Atw, Stb. 1964, 314), art. 3:
 *  - lid 1: Nieuwjaarsdag, de Christelijke tweede Paas- en Pinksterdag, de beide Kerstdagen, de
 *    Hemelvaartsdag, de dag waarop de verjaardag van de Koning wordt gevierd en de vijfde mei;
 *  - lid 2: Goede Vrijdag is gelijkgesteld met die dagen;
 *  - lid 3: days made equal to them by decree for a few years at a time — data, see
 *    DESIGNATED_DAYS, so that a new decree is a data change and not a code change.
 * Working days are Monday–Friday (DOMAIN.md R8; Atw art. 1 treats Saturdays and Sundays like
 * the holidays), so Eerste Paasdag and Eerste Pinksterdag, always Sundays, are not listed.
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

/** Names of the non-working days of the Algemene termijnenwet (art. 3), as they are known in Dutch. */
export type PublicHolidayName =
  | 'Nieuwjaarsdag'
  | 'Goede Vrijdag'
  | 'Tweede Paasdag'
  | 'Koninginnedag'
  | 'Koningsdag'
  | 'Bevrijdingsdag'
  | 'Hemelvaartsdag'
  | 'Tweede Pinksterdag'
  | 'Eerste Kerstdag'
  | 'Tweede Kerstdag'
  /** A day made equal to a holiday by decree (Atw art. 3 lid 3). */
  | 'Gelijkgestelde dag';

/** The paragraph of Atw art. 3 that makes a day a non-working day. */
export type HolidayBasis = 'Atw art. 3 lid 1' | 'Atw art. 3 lid 2' | 'Atw art. 3 lid 3';

export interface NonWorkingHoliday {
  /** 'YYYY-MM-DD' */
  date: string;
  name: PublicHolidayName;
  basis: HolidayBasis;
  /** The decree, for a day of art. 3 lid 3. */
  source?: string;
}

/** A day made equal to an algemeen erkende feestdag by decree (Atw art. 3 lid 3). */
export interface DesignatedDay {
  /** 'YYYY-MM-DD' */
  readonly date: string;
  /** The decree that designates it (and, where it was checked against a secondary source, which). */
  readonly source: string;
}

const DECREE_2023_2025 =
  'Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 en ' +
  '30 mei 2025 met een algemeen erkende feestdag (Atw art. 3 lid 3; title as cited in ' +
  'sterfgeval.nl vraag 70745, 4 Oct 2025; Staatsblad number not verified)';
const DECREE_2026_2028 =
  'Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en ' +
  '26 mei 2028 met een algemeen erkende feestdag (Atw art. 3 lid 3; title as cited in ' +
  'sterfgeval.nl vraag 70745, 4 Oct 2025, and DOMAIN.md R8; Staatsblad number not verified)';

/**
 * Days designated by decree under Atw art. 3 lid 3, with their source. Only decrees whose dates
 * were found in a source are listed; earlier decrees (before 2023) are not, so for those years
 * the calendar knows only art. 3 lid 1 and 2. A new decree: add its dates here.
 */
export const DESIGNATED_DAYS: readonly DesignatedDay[] = Object.freeze(
  [
    { date: '2023-04-28', source: DECREE_2023_2025 }, // Friday after Koningsdag
    { date: '2023-05-19', source: DECREE_2023_2025 }, // Friday after Hemelvaartsdag
    { date: '2024-05-10', source: DECREE_2023_2025 }, // Friday after Hemelvaartsdag
    { date: '2024-12-27', source: DECREE_2023_2025 }, // Friday after Tweede Kerstdag
    { date: '2025-05-30', source: DECREE_2023_2025 }, // Friday after Hemelvaartsdag
    { date: '2026-01-02', source: DECREE_2026_2028 }, // Friday after Nieuwjaarsdag
    { date: '2026-05-15', source: DECREE_2026_2028 }, // Friday after Hemelvaartsdag
    { date: '2027-05-07', source: DECREE_2026_2028 }, // Friday after Hemelvaartsdag
    { date: '2028-04-28', source: DECREE_2026_2028 }, // Friday after Koningsdag
    { date: '2028-05-26', source: DECREE_2026_2028 }, // Friday after Hemelvaartsdag
  ].map((day) => Object.freeze(day)),
);

/** The Algemene termijnenwet entered into force on 1 April 1965 (Stb. 1964, 314). */
export const FIRST_ATW_YEAR = 1965;

type DesignatedIndex = ReadonlyMap<string, DesignatedDay>;

let defaultIndex: DesignatedIndex | undefined;

function designatedIndex(days: readonly DesignatedDay[]): DesignatedIndex {
  if (days === DESIGNATED_DAYS && defaultIndex) return defaultIndex;
  const index = new Map<string, DesignatedDay>();
  for (const day of days) {
    parseIsoDate(day.date);
    if (typeof day.source !== 'string' || day.source.trim() === '') {
      throw new RangeError(`A designated day needs its source (the decree): ${day.date}`);
    }
    if (!index.has(day.date)) index.set(day.date, day);
  }
  if (days === DESIGNATED_DAYS) defaultIndex = index;
  return index;
}

/**
 * The day on which the King's (Queen's) birthday is celebrated (Atw art. 3 lid 1):
 *  - from 2014: Koningsdag, 27 April, or Saturday 26 April when the 27th is a Sunday (Besluit van
 *    30 januari 2013, nr. 13.000173, Stcrt. 2013, 4075, in force 1 January 2014);
 *  - 1980–2013: Koninginnedag, 30 April, or Saturday 29 April when the 30th is a Sunday (KB of 24
 *    April 1980, nr. 11, withdrawn by the 2013 decree);
 *  - 1965–1979: Koninginnedag, 30 April, or Monday 1 May when the 30th is a Sunday.
 */
function kingsBirthday(year: number): [string, PublicHolidayName] {
  if (year >= 2014) return [sundayMovesTo(`${pad4(year)}-04-27`, -1), 'Koningsdag'];
  if (year >= 1980) return [sundayMovesTo(`${pad4(year)}-04-30`, -1), 'Koninginnedag'];
  return [sundayMovesTo(`${pad4(year)}-04-30`, 1), 'Koninginnedag'];
}

function sundayMovesTo(isoDate: string, days: number): string {
  return dayOfWeek(isoDate) === 0 ? addDays(isoDate, days) : isoDate;
}

const statutoryCache = new Map<number, readonly NonWorkingHoliday[]>();

/** Atw art. 3 lid 1 and lid 2 for `year`, ascending, one entry a date. */
function statutoryOf(year: number): readonly NonWorkingHoliday[] {
  const cached = statutoryCache.get(year);
  if (cached) return cached;
  assertAtwYear(year);
  const y = pad4(year);
  const easter = toIsoDate(easterSunday(year));
  const [kingsDay, kingsDayName] = kingsBirthday(year);
  const lid1: HolidayBasis = 'Atw art. 3 lid 1';
  // In the order of art. 3: on a date that two holidays share, the first one's name is kept.
  const entries: NonWorkingHoliday[] = [
    { date: `${y}-01-01`, name: 'Nieuwjaarsdag', basis: lid1 },
    { date: addDays(easter, 1), name: 'Tweede Paasdag', basis: lid1 },
    { date: addDays(easter, 50), name: 'Tweede Pinksterdag', basis: lid1 },
    { date: `${y}-12-25`, name: 'Eerste Kerstdag', basis: lid1 },
    { date: `${y}-12-26`, name: 'Tweede Kerstdag', basis: lid1 },
    { date: addDays(easter, 39), name: 'Hemelvaartsdag', basis: lid1 },
    { date: kingsDay, name: kingsDayName, basis: lid1 },
    // "de vijfde mei": every year, not only every fifth year.
    { date: `${y}-05-05`, name: 'Bevrijdingsdag', basis: lid1 },
    { date: addDays(easter, -2), name: 'Goede Vrijdag', basis: 'Atw art. 3 lid 2' },
  ];
  // Hemelvaartsdag falls on 5 May in some years (e.g. 2016): that date counts once.
  const byDate = new Map<string, NonWorkingHoliday>();
  for (const entry of entries) if (!byDate.has(entry.date)) byDate.set(entry.date, entry);
  const list = Object.freeze(
    [...byDate.values()].sort(byIsoDate).map((entry) => Object.freeze(entry)),
  );
  statutoryCache.set(year, list);
  return list;
}

function byIsoDate(a: { date: string }, b: { date: string }): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

function holidaysIn(year: number, index: DesignatedIndex): NonWorkingHoliday[] {
  const list = [...statutoryOf(year)];
  const taken = new Set(list.map((h) => h.date));
  for (const day of index.values()) {
    if (Number(day.date.slice(0, 4)) === year && !taken.has(day.date)) {
      list.push({
        date: day.date,
        name: 'Gelijkgestelde dag',
        basis: 'Atw art. 3 lid 3',
        source: day.source,
      });
    }
  }
  return list.sort(byIsoDate);
}

function holidayOn(isoDate: string, index: DesignatedIndex): NonWorkingHoliday | null {
  const { year } = parseIsoDate(isoDate);
  const statutory = statutoryOf(year).find((h) => h.date === isoDate);
  if (statutory) return statutory;
  const designated = index.get(isoDate);
  return designated
    ? {
        date: isoDate,
        name: 'Gelijkgestelde dag',
        basis: 'Atw art. 3 lid 3',
        source: designated.source,
      }
    : null;
}

/**
 * The non-working holidays of `year` (Atw art. 3 lid 1, 2 and 3), ascending, one entry a date,
 * each with its legal basis. `designatedDays`: the art. 3 lid 3 decree days (default DESIGNATED_DAYS).
 */
export function nonWorkingHolidays(
  year: number,
  designatedDays: readonly DesignatedDay[] = DESIGNATED_DAYS,
): NonWorkingHoliday[] {
  return holidaysIn(year, designatedIndex(designatedDays));
}

/** ISO dates ('YYYY-MM-DD', ascending, without duplicates) of the Algemene termijnenwet holidays. */
export function publicHolidays(
  year: number,
  designatedDays: readonly DesignatedDay[] = DESIGNATED_DAYS,
): string[] {
  return nonWorkingHolidays(year, designatedDays).map((h) => h.date);
}

/** The holiday's name when `isoDate` is an Algemene termijnenwet holiday, otherwise null. */
export function publicHolidayName(
  isoDate: string,
  designatedDays: readonly DesignatedDay[] = DESIGNATED_DAYS,
): PublicHolidayName | null {
  return holidayOn(isoDate, designatedIndex(designatedDays))?.name ?? null;
}

/** Monday–Friday and not an Algemene termijnenwet holiday (art. 3 lid 1, 2 or 3). */
export function isWorkingDay(
  isoDate: string,
  designatedDays: readonly DesignatedDay[] = DESIGNATED_DAYS,
): boolean {
  return workingDay(isoDate, designatedIndex(designatedDays));
}

function workingDay(isoDate: string, index: DesignatedIndex): boolean {
  assertAtwYear(parseIsoDate(isoDate).year);
  const weekday = dayOfWeek(isoDate);
  return weekday !== 0 && weekday !== 6 && holidayOn(isoDate, index) === null;
}

/** How an APV counts the holding period (DOMAIN.md "Municipalities"). */
export const HOLDING_PERIOD_KINDS = ['working', 'calendar'] as const;
export type HoldingPeriodKind = (typeof HOLDING_PERIOD_KINDS)[number];

export interface HoldingPeriod {
  /** N, 0–30 per DOMAIN.md */
  days: number;
  kind: HoldingPeriodKind;
}

/** DOMAIN.md "Municipalities": 5 working days (bill 36036). */
export const DEFAULT_HOLDING_PERIOD: Readonly<HoldingPeriod> = Object.freeze({
  days: 5,
  kind: 'working',
});

export interface HoldingPeriodOptions {
  /** 'working' (default, what existing callers mean) or 'calendar'. */
  kind?: HoldingPeriodKind;
  /** The art. 3 lid 3 decree days; default DESIGNATED_DAYS. */
  designatedDays?: readonly DesignatedDay[];
}

/**
 * The N-th counted day after `isoDate` ('YYYY-MM-DD'), which itself never counts; `isoDate` for
 * N = 0. Working days skip Saturdays, Sundays and the Atw holidays; calendar days count every day.
 */
export function nthCountedDayAfter(
  isoDate: string,
  days: number,
  options: HoldingPeriodOptions = {},
): string {
  assertDays(days);
  const kind = assertKind(options.kind ?? 'working');
  parseIsoDate(isoDate);
  if (kind === 'calendar') return addDays(isoDate, days);
  const index = designatedIndex(options.designatedDays ?? DESIGNATED_DAYS);
  let day = isoDate;
  for (let counted = 0; counted < days;) {
    day = addDays(day, 1);
    if (workingDay(day, index)) counted += 1;
  }
  return day;
}

/**
 * R8: the instant from which an item may be sold, counted from `start` (the caller decides which
 * instant starts the period; DOMAIN.md R8 says the registration). For N ≥ 1: 00:00
 * Europe/Amsterdam of the day after the N-th counted day after the Amsterdam calendar date of
 * `start` (that date itself never counts). N = 0 means sellable at once: `start` itself.
 * `days` is N; `options.kind` says whether working days (the default) or calendar days count.
 */
export function sellableFrom(start: Date, days: number, options: HoldingPeriodOptions = {}): Date {
  assertDays(days);
  assertKind(options.kind ?? 'working');
  const startDate = amsterdamDate(start);
  if (days === 0) return new Date(start.getTime());
  return startOfAmsterdamDay(addDays(nthCountedDayAfter(startDate, days, options), 1));
}

function assertDays(days: number): void {
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`the holding period must be a non-negative integer of days, got ${days}`);
  }
}

function assertKind(kind: unknown): HoldingPeriodKind {
  if (!(HOLDING_PERIOD_KINDS as readonly unknown[]).includes(kind)) {
    throw new RangeError(`kind must be 'working' or 'calendar', got ${JSON.stringify(kind)}`);
  }
  return kind as HoldingPeriodKind;
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

function assertAtwYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_ATW_YEAR || year > 9998) {
    throw new RangeError(
      `the Algemene termijnenwet calendar covers the years ${FIRST_ATW_YEAR} to 9998, got ${year}`,
    );
  }
}

function assertValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError('Not a valid Date');
  }
}
