import Holidays from 'date-holidays';
import {
  DESIGNATED_DAYS,
  type DesignatedDay,
  easterSunday,
  nonWorkingHolidays,
  publicHolidays,
} from '../../src/acquisitions/holding-period';

/*
 * Oracle: the npm package date-holidays (pinned in package.json), country NL, compared year by
 * year for 1995–2035 with our non-working holidays. date-holidays is a general-purpose calendar,
 * not the Algemene termijnenwet (Atw), so the two differ on purpose. Every difference is listed
 * below with the article that decides; anything else, in either direction, fails the test.
 *
 *  1. Goede Vrijdag — ours: non-working, Atw art. 3 lid 2 ("Voor de toepassing van deze wet wordt
 *     Goede Vrijdag met de in het vorige lid genoemde dagen gelijkgesteld"; DOMAIN.md R8).
 *     date-holidays: type 'school' (not generally a day off for employees), not 'public'.
 *  2. Bevrijdingsdag, 5 mei — ours: non-working every year, Atw art. 3 lid 1 ("de vijfde mei",
 *     no lustrum condition). date-holidays: type 'school'. In 2005 and 2016 Hemelvaartsdag falls
 *     on 5 May, so date-holidays has a 'public' holiday on that date too and there is no
 *     difference in those years.
 *  3. Eerste Paasdag and Eerste Pinksterdag — date-holidays: 'public'; ours: not listed, because
 *     Atw art. 3 lid 1 names only the *tweede* Paas- and Pinksterdag. Both are always Sundays,
 *     which are never working days (Atw art. 1; DOMAIN.md R8 "Monday–Friday"), so the working-day
 *     calendar is the same.
 *  4. Days designated by decree (Atw art. 3 lid 3, DESIGNATED_DAYS, e.g. 2 January 2026 and
 *     15 May 2026) — ours: non-working; date-holidays does not know them at all.
 * No difference for Nieuwjaarsdag, Tweede Paasdag, Koninginnedag (30/29 April, 1995–2013),
 * Koningsdag (27/26 April, from 2014), Hemelvaartsdag, Tweede Pinksterdag and both Kerstdagen.
 */

const oracle = new Holidays('NL');

/** date-holidays' NL holidays of `year` as [date, name, type], in Amsterdam calendar dates. */
function oracleHolidays(year: number): Array<{ date: string; name: string; type: string }> {
  return oracle
    .getHolidays(year)
    .map((h) => ({ date: h.date.slice(0, 10), name: h.name, type: h.type }));
}

function isoDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

function weekday(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

const YEARS = Array.from({ length: 41 }, (_, i) => 1995 + i);
const NO_DECREES: readonly DesignatedDay[] = [];

/** Our names → date-holidays' (nl) names, for the days both call a public holiday. */
const SAME_DAY: Record<string, string> = {
  Nieuwjaarsdag: 'Nieuwjaar',
  'Tweede Paasdag': 'Tweede paasdag',
  Koninginnedag: 'Koninginnedag',
  Koningsdag: 'Koningsdag',
  Hemelvaartsdag: 'Hemelvaartsdag',
  'Tweede Pinksterdag': 'Tweede pinksterdag',
  'Eerste Kerstdag': 'Kerstmis',
  'Tweede Kerstdag': 'Tweede kerstdag',
};

describe('oracle: date-holidays NL public holidays vs the Algemene termijnenwet, 1995–2035', () => {
  it.each(YEARS)('%i: the only differences are the documented ones', (year) => {
    const ours = nonWorkingHolidays(year, NO_DECREES);
    const theirs = oracleHolidays(year);
    const theirPublic = new Map(
      theirs.filter((h) => h.type === 'public').map((h) => [h.date, h.name] as const),
    );
    const ourDates = new Set(ours.map((h) => h.date));

    // Only in date-holidays: Eerste Paasdag and Eerste Pinksterdag (difference 3), both Sundays.
    const easter = easterSunday(year);
    const easterDate = isoDate(year, easter.month, easter.day);
    const whitSunday = isoDate(year, easter.month, easter.day + 49);
    const onlyTheirs = [...theirPublic.keys()].filter((d) => !ourDates.has(d)).sort();
    expect(onlyTheirs).toEqual([easterDate, whitSunday]);
    expect(theirPublic.get(easterDate)).toBe('Pasen');
    expect(theirPublic.get(whitSunday)).toBe('Pinksteren');
    for (const sunday of onlyTheirs) expect(weekday(sunday)).toBe(0);

    // Only ours: Goede Vrijdag (difference 1) and 5 mei (difference 2), which date-holidays has
    // as 'school' holidays.
    const goodFriday = isoDate(year, easter.month, easter.day - 2);
    const liberationDay = `${year}-05-05`;
    const onlyOurs = ours.filter((h) => !theirPublic.has(h.date));
    const expectedOnlyOurs = theirPublic.has(liberationDay)
      ? [{ date: goodFriday, name: 'Goede Vrijdag', basis: 'Atw art. 3 lid 2' }]
      : [
          { date: goodFriday, name: 'Goede Vrijdag', basis: 'Atw art. 3 lid 2' },
          { date: liberationDay, name: 'Bevrijdingsdag', basis: 'Atw art. 3 lid 1' },
        ];
    expect(onlyOurs).toEqual(expectedOnlyOurs);
    expect(theirs).toContainEqual({ date: goodFriday, name: 'Goede Vrijdag', type: 'school' });
    expect(theirs).toContainEqual({ date: liberationDay, name: 'Bevrijdingsdag', type: 'school' });

    // Every other day: the same date, and the same holiday.
    for (const h of ours.filter((o) => theirPublic.has(o.date))) {
      expect([h.date, SAME_DAY[h.name]]).toEqual([h.date, theirPublic.get(h.date)]);
    }
  });

  it('5 mei is a public holiday in date-holidays only when Hemelvaartsdag falls on it', () => {
    const years = YEARS.filter((year) =>
      oracleHolidays(year).some((h) => h.date === `${year}-05-05` && h.type === 'public'),
    );
    expect(years).toEqual([2005, 2016]);
  });

  it('the decree days (Atw art. 3 lid 3, difference 4) are unknown to date-holidays', () => {
    for (const { date } of DESIGNATED_DAYS) {
      const year = Number(date.slice(0, 4));
      expect(oracleHolidays(year).filter((h) => h.date === date)).toEqual([]);
      expect(publicHolidays(year)).toContain(date);
      expect(publicHolidays(year, NO_DECREES)).not.toContain(date);
    }
  });
});
