import { startOfAmsterdamDay } from '../acquisitions/holding-period';
import { isCalendarDate } from '../acquisitions/acquisition-rules';
import { DorError } from './dor-error';

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** An instant as ISO 8601 in Amsterdam local time with its offset, e.g. 2026-04-02T14:30:00+02:00. */
export function amsterdamIso(instant: Date): string {
  const p = Object.fromEntries(PARTS.formatToParts(instant).map((x) => [x.type, x.value]));
  const local = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  const offsetMin = Math.round((local - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The first and last instant of calendar dates in Amsterdam (a day has 23, 24 or 25 hours). */
export function amsterdamDayRange(from?: string, to?: string): { from?: Date; to?: Date } {
  for (const d of [from, to]) {
    if (d !== undefined && !isCalendarDate(d))
      throw DorError.invalid('INVALID_DATE', `${d} is not a date`);
  }
  return {
    from: from ? startOfAmsterdamDay(from) : undefined,
    to: to ? new Date(startOfAmsterdamDay(nextDay(to)).getTime() - 1) : undefined,
  };
}

export function nextDay(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * A period from query fields: a date includes that whole day in Amsterdam, a date-time is taken as
 * it is. Throws a 400 for an impossible date.
 */
export function periodOf(from?: string, to?: string): { from?: Date; to?: Date } {
  // A date-time's date must exist too: 2026-02-30T10:00Z is refused, not rolled over to 2 March.
  for (const v of [from, to])
    if (v && v.length !== 10 && !isCalendarDate(v.slice(0, 10)))
      throw DorError.invalid('INVALID_DATE', `${v} is not a date`);
  const days = amsterdamDayRange(
    from?.length === 10 ? from : undefined,
    to?.length === 10 ? to : undefined,
  );
  const f = from && from.length !== 10 ? new Date(from) : days.from;
  const t = to && to.length !== 10 ? new Date(to) : days.to;
  if ((f && Number.isNaN(f.getTime())) || (t && Number.isNaN(t.getTime())))
    throw DorError.invalid('INVALID_DATE', 'from and to must be dates');
  return { from: f, to: t };
}
