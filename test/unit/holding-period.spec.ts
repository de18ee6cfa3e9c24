import fc from 'fast-check';
import {
  addDays,
  amsterdamDate,
  DESIGNATED_DAYS,
  type DesignatedDay,
  easterSunday,
  isWorkingDay,
  nonWorkingHolidays,
  nthCountedDayAfter,
  publicHolidayName,
  publicHolidays,
  sellableFrom,
  startOfAmsterdamDay,
} from '../../src/acquisitions/holding-period';

/*
 * Expected dates are hard-coded, never computed with the code under test: Easter from the
 * published tables, the 1995–2035 tables generated once by a separate Python script (Easter from
 * python-dateutil's easter(), the Algemene termijnenwet (Atw) art. 3 rules written out by hand in
 * Python) and spot-checked by hand. DOMAIN.md R8 / "Municipalities" is the law as the customer
 * specified it; it cites the Atw:
 *  - art. 3 lid 1: Nieuwjaarsdag, Tweede Paasdag, Tweede Pinksterdag, both Kerstdagen,
 *    Hemelvaartsdag, the King's birthday and 5 mei (every year);
 *  - art. 3 lid 2: Goede Vrijdag;
 *  - art. 3 lid 3: days designated by decree (DESIGNATED_DAYS, data with their source).
 */

/** The art. 3 lid 1 and lid 2 days only (no decree days), 1995–2035. */
// prettier-ignore
const STATUTORY: Record<number, string[]> = {
    1995: ['1995-01-01', '1995-04-14', '1995-04-17', '1995-04-29', '1995-05-05', '1995-05-25', '1995-06-05', '1995-12-25', '1995-12-26'],
    1996: ['1996-01-01', '1996-04-05', '1996-04-08', '1996-04-30', '1996-05-05', '1996-05-16', '1996-05-27', '1996-12-25', '1996-12-26'],
    1997: ['1997-01-01', '1997-03-28', '1997-03-31', '1997-04-30', '1997-05-05', '1997-05-08', '1997-05-19', '1997-12-25', '1997-12-26'],
    1998: ['1998-01-01', '1998-04-10', '1998-04-13', '1998-04-30', '1998-05-05', '1998-05-21', '1998-06-01', '1998-12-25', '1998-12-26'],
    1999: ['1999-01-01', '1999-04-02', '1999-04-05', '1999-04-30', '1999-05-05', '1999-05-13', '1999-05-24', '1999-12-25', '1999-12-26'],
    2000: ['2000-01-01', '2000-04-21', '2000-04-24', '2000-04-29', '2000-05-05', '2000-06-01', '2000-06-12', '2000-12-25', '2000-12-26'],
    2001: ['2001-01-01', '2001-04-13', '2001-04-16', '2001-04-30', '2001-05-05', '2001-05-24', '2001-06-04', '2001-12-25', '2001-12-26'],
    2002: ['2002-01-01', '2002-03-29', '2002-04-01', '2002-04-30', '2002-05-05', '2002-05-09', '2002-05-20', '2002-12-25', '2002-12-26'],
    2003: ['2003-01-01', '2003-04-18', '2003-04-21', '2003-04-30', '2003-05-05', '2003-05-29', '2003-06-09', '2003-12-25', '2003-12-26'],
    2004: ['2004-01-01', '2004-04-09', '2004-04-12', '2004-04-30', '2004-05-05', '2004-05-20', '2004-05-31', '2004-12-25', '2004-12-26'],
    2005: ['2005-01-01', '2005-03-25', '2005-03-28', '2005-04-30', '2005-05-05', '2005-05-16', '2005-12-25', '2005-12-26'],
    2006: ['2006-01-01', '2006-04-14', '2006-04-17', '2006-04-29', '2006-05-05', '2006-05-25', '2006-06-05', '2006-12-25', '2006-12-26'],
    2007: ['2007-01-01', '2007-04-06', '2007-04-09', '2007-04-30', '2007-05-05', '2007-05-17', '2007-05-28', '2007-12-25', '2007-12-26'],
    2008: ['2008-01-01', '2008-03-21', '2008-03-24', '2008-04-30', '2008-05-01', '2008-05-05', '2008-05-12', '2008-12-25', '2008-12-26'],
    2009: ['2009-01-01', '2009-04-10', '2009-04-13', '2009-04-30', '2009-05-05', '2009-05-21', '2009-06-01', '2009-12-25', '2009-12-26'],
    2010: ['2010-01-01', '2010-04-02', '2010-04-05', '2010-04-30', '2010-05-05', '2010-05-13', '2010-05-24', '2010-12-25', '2010-12-26'],
    2011: ['2011-01-01', '2011-04-22', '2011-04-25', '2011-04-30', '2011-05-05', '2011-06-02', '2011-06-13', '2011-12-25', '2011-12-26'],
    2012: ['2012-01-01', '2012-04-06', '2012-04-09', '2012-04-30', '2012-05-05', '2012-05-17', '2012-05-28', '2012-12-25', '2012-12-26'],
    2013: ['2013-01-01', '2013-03-29', '2013-04-01', '2013-04-30', '2013-05-05', '2013-05-09', '2013-05-20', '2013-12-25', '2013-12-26'],
    2014: ['2014-01-01', '2014-04-18', '2014-04-21', '2014-04-26', '2014-05-05', '2014-05-29', '2014-06-09', '2014-12-25', '2014-12-26'],
    2015: ['2015-01-01', '2015-04-03', '2015-04-06', '2015-04-27', '2015-05-05', '2015-05-14', '2015-05-25', '2015-12-25', '2015-12-26'],
    2016: ['2016-01-01', '2016-03-25', '2016-03-28', '2016-04-27', '2016-05-05', '2016-05-16', '2016-12-25', '2016-12-26'],
    2017: ['2017-01-01', '2017-04-14', '2017-04-17', '2017-04-27', '2017-05-05', '2017-05-25', '2017-06-05', '2017-12-25', '2017-12-26'],
    2018: ['2018-01-01', '2018-03-30', '2018-04-02', '2018-04-27', '2018-05-05', '2018-05-10', '2018-05-21', '2018-12-25', '2018-12-26'],
    2019: ['2019-01-01', '2019-04-19', '2019-04-22', '2019-04-27', '2019-05-05', '2019-05-30', '2019-06-10', '2019-12-25', '2019-12-26'],
    2020: ['2020-01-01', '2020-04-10', '2020-04-13', '2020-04-27', '2020-05-05', '2020-05-21', '2020-06-01', '2020-12-25', '2020-12-26'],
    2021: ['2021-01-01', '2021-04-02', '2021-04-05', '2021-04-27', '2021-05-05', '2021-05-13', '2021-05-24', '2021-12-25', '2021-12-26'],
    2022: ['2022-01-01', '2022-04-15', '2022-04-18', '2022-04-27', '2022-05-05', '2022-05-26', '2022-06-06', '2022-12-25', '2022-12-26'],
    2023: ['2023-01-01', '2023-04-07', '2023-04-10', '2023-04-27', '2023-05-05', '2023-05-18', '2023-05-29', '2023-12-25', '2023-12-26'],
    2024: ['2024-01-01', '2024-03-29', '2024-04-01', '2024-04-27', '2024-05-05', '2024-05-09', '2024-05-20', '2024-12-25', '2024-12-26'],
    2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-04-26', '2025-05-05', '2025-05-29', '2025-06-09', '2025-12-25', '2025-12-26'],
    2026: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-04-27', '2026-05-05', '2026-05-14', '2026-05-25', '2026-12-25', '2026-12-26'],
    2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-04-27', '2027-05-05', '2027-05-06', '2027-05-17', '2027-12-25', '2027-12-26'],
    2028: ['2028-01-01', '2028-04-14', '2028-04-17', '2028-04-27', '2028-05-05', '2028-05-25', '2028-06-05', '2028-12-25', '2028-12-26'],
    2029: ['2029-01-01', '2029-03-30', '2029-04-02', '2029-04-27', '2029-05-05', '2029-05-10', '2029-05-21', '2029-12-25', '2029-12-26'],
    2030: ['2030-01-01', '2030-04-19', '2030-04-22', '2030-04-27', '2030-05-05', '2030-05-30', '2030-06-10', '2030-12-25', '2030-12-26'],
    2031: ['2031-01-01', '2031-04-11', '2031-04-14', '2031-04-26', '2031-05-05', '2031-05-22', '2031-06-02', '2031-12-25', '2031-12-26'],
    2032: ['2032-01-01', '2032-03-26', '2032-03-29', '2032-04-27', '2032-05-05', '2032-05-06', '2032-05-17', '2032-12-25', '2032-12-26'],
    2033: ['2033-01-01', '2033-04-15', '2033-04-18', '2033-04-27', '2033-05-05', '2033-05-26', '2033-06-06', '2033-12-25', '2033-12-26'],
    2034: ['2034-01-01', '2034-04-07', '2034-04-10', '2034-04-27', '2034-05-05', '2034-05-18', '2034-05-29', '2034-12-25', '2034-12-26'],
    2035: ['2035-01-01', '2035-03-23', '2035-03-26', '2035-04-27', '2035-05-03', '2035-05-05', '2035-05-14', '2035-12-25', '2035-12-26'],
};

const NO_DECREES: readonly DesignatedDay[] = [];

describe('easterSunday (Gregorian computus)', () => {
  it.each([
    [2024, 3, 31],
    [2025, 4, 20],
    [2026, 4, 5],
    [2027, 3, 28],
    [2028, 4, 16],
    [2029, 4, 1],
    [2030, 4, 21],
    [2019, 4, 21],
    [2008, 3, 23],
    [2011, 4, 24],
    // Earliest and latest possible dates
    [1818, 3, 22],
    [2285, 3, 22],
    [1943, 4, 25],
    [2038, 4, 25],
  ])('%i → %i/%i', (year, month, day) => {
    expect(easterSunday(year)).toEqual({ year, month, day });
  });

  it.each([1582, 2026.5, Number.NaN, 10000])('refuses year %p', (year) => {
    expect(() => easterSunday(year)).toThrow(RangeError);
  });
});

describe('publicHolidays: Algemene termijnenwet art. 3 lid 1 and lid 2, 1995–2035', () => {
  it.each(Object.entries(STATUTORY))('%s: exactly these days', (year, dates) => {
    expect(publicHolidays(Number(year), NO_DECREES)).toEqual(dates);
  });

  it('covers every year from 1995 to 2035', () => {
    expect(Object.keys(STATUTORY).map(Number)).toEqual(
      Array.from({ length: 41 }, (_, i) => 1995 + i),
    );
  });

  it.each(Object.entries(STATUTORY).flatMap(([, dates]) => dates))(
    '%s is not a working day',
    (date) => {
      expect(publicHolidayName(date, NO_DECREES)).not.toBeNull();
      expect(isWorkingDay(date, NO_DECREES)).toBe(false);
      expect(isWorkingDay(date)).toBe(false);
    },
  );

  it('9 days a year, 8 when Hemelvaartsdag falls on 5 mei (2005, 2016)', () => {
    for (const [year, dates] of Object.entries(STATUTORY)) {
      expect(dates).toHaveLength(['2005', '2016'].includes(year) ? 8 : 9);
      expect(publicHolidays(Number(year), NO_DECREES)).toEqual([...new Set(dates)]);
    }
  });
});

describe("the King's birthday (Atw art. 3 lid 1) by year", () => {
  // prettier-ignore
  const kingsDays: Array<[number, string, string]> = [
    [1995, '1995-04-29', 'Koninginnedag'], // 30 April is a Sunday
    [1996, '1996-04-30', 'Koninginnedag'],
    [1997, '1997-04-30', 'Koninginnedag'],
    [1998, '1998-04-30', 'Koninginnedag'],
    [1999, '1999-04-30', 'Koninginnedag'],
    [2000, '2000-04-29', 'Koninginnedag'], // 30 April is a Sunday
    [2001, '2001-04-30', 'Koninginnedag'],
    [2002, '2002-04-30', 'Koninginnedag'],
    [2003, '2003-04-30', 'Koninginnedag'],
    [2004, '2004-04-30', 'Koninginnedag'],
    [2005, '2005-04-30', 'Koninginnedag'],
    [2006, '2006-04-29', 'Koninginnedag'], // 30 April is a Sunday
    [2007, '2007-04-30', 'Koninginnedag'],
    [2008, '2008-04-30', 'Koninginnedag'],
    [2009, '2009-04-30', 'Koninginnedag'],
    [2010, '2010-04-30', 'Koninginnedag'],
    [2011, '2011-04-30', 'Koninginnedag'],
    [2012, '2012-04-30', 'Koninginnedag'],
    [2013, '2013-04-30', 'Koninginnedag'],
    [2014, '2014-04-26', 'Koningsdag'], // 27 April is a Sunday
    [2015, '2015-04-27', 'Koningsdag'],
    [2016, '2016-04-27', 'Koningsdag'],
    [2017, '2017-04-27', 'Koningsdag'],
    [2018, '2018-04-27', 'Koningsdag'],
    [2019, '2019-04-27', 'Koningsdag'],
    [2020, '2020-04-27', 'Koningsdag'],
    [2021, '2021-04-27', 'Koningsdag'],
    [2022, '2022-04-27', 'Koningsdag'],
    [2023, '2023-04-27', 'Koningsdag'],
    [2024, '2024-04-27', 'Koningsdag'],
    [2025, '2025-04-26', 'Koningsdag'], // 27 April is a Sunday
    [2026, '2026-04-27', 'Koningsdag'],
    [2027, '2027-04-27', 'Koningsdag'],
    [2028, '2028-04-27', 'Koningsdag'],
    [2029, '2029-04-27', 'Koningsdag'],
    [2030, '2030-04-27', 'Koningsdag'],
    [2031, '2031-04-26', 'Koningsdag'], // 27 April is a Sunday
    [2032, '2032-04-27', 'Koningsdag'],
    [2033, '2033-04-27', 'Koningsdag'],
    [2034, '2034-04-27', 'Koningsdag'],
    [2035, '2035-04-27', 'Koningsdag'],
  ];
  it.each(kingsDays)('%i: %s (%s)', (year, date, name) => {
    expect(publicHolidayName(date)).toBe(name);
    expect(isWorkingDay(date)).toBe(false);
    const others = ['04-26', '04-27', '04-29', '04-30', '05-01']
      .map((md) => `${year}-${md}`)
      .filter((d) => d !== date);
    for (const other of others) {
      expect(['Koningsdag', 'Koninginnedag']).not.toContain(publicHolidayName(other));
    }
  });

  it.each([
    ['1995-04-30', 'Sunday 30 April 1995: Koninginnedag on Saturday 29 April'],
    ['2000-04-30', 'Sunday 30 April 2000'],
    ['2006-04-30', 'Sunday 30 April 2006'],
    ['2014-04-27', 'Sunday 27 April 2014: the first Koningsdag was Saturday 26 April'],
    ['2025-04-27', 'Sunday 27 April 2025'],
    ['2031-04-27', 'Sunday 27 April 2031'],
  ])('%s is not the holiday (%s)', (sunday) => {
    expect(publicHolidayName(sunday)).toBeNull();
  });

  it('27 April is an ordinary day up to 2013 and 30 April from 2014', () => {
    expect(isWorkingDay('2012-04-27')).toBe(true); // Friday
    expect(isWorkingDay('2010-04-27')).toBe(true); // Tuesday
    expect(isWorkingDay('2015-04-30')).toBe(true); // Thursday
    expect(isWorkingDay('2013-04-30')).toBe(false); // the last Koninginnedag, a Tuesday
    expect(isWorkingDay('2013-04-29')).toBe(true);
  });
});

describe('Goede Vrijdag (Atw art. 3 lid 2)', () => {
  const goodFridays = Object.entries(STATUTORY).map(
    ([year, dates]) => [Number(year), dates[1]] as const,
  );
  it.each(goodFridays)('%i: %s is Goede Vrijdag, not a working day', (_year, date) => {
    expect(new Date(`${date}T12:00:00Z`).getUTCDay()).toBe(5);
    expect(publicHolidayName(date, NO_DECREES)).toBe('Goede Vrijdag');
    expect(isWorkingDay(date)).toBe(false);
    expect(nonWorkingHolidays(Number(date.slice(0, 4))).find((h) => h.date === date)).toEqual({
      date,
      name: 'Goede Vrijdag',
      basis: 'Atw art. 3 lid 2',
    });
  });
});

describe('publicHolidays with the decree days of Atw art. 3 lid 3', () => {
  // prettier-ignore
  const expected: Record<number, string[]> = {
    2024: ['2024-01-01', '2024-03-29', '2024-04-01', '2024-04-27', '2024-05-05', '2024-05-09', '2024-05-10', '2024-05-20', '2024-12-25', '2024-12-26', '2024-12-27'],
    2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-04-26', '2025-05-05', '2025-05-29', '2025-05-30', '2025-06-09', '2025-12-25', '2025-12-26'],
    2026: ['2026-01-01', '2026-01-02', '2026-04-03', '2026-04-06', '2026-04-27', '2026-05-05', '2026-05-14', '2026-05-15', '2026-05-25', '2026-12-25', '2026-12-26'],
    2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-04-27', '2027-05-05', '2027-05-06', '2027-05-07', '2027-05-17', '2027-12-25', '2027-12-26'],
    2028: ['2028-01-01', '2028-04-14', '2028-04-17', '2028-04-27', '2028-04-28', '2028-05-05', '2028-05-25', '2028-05-26', '2028-06-05', '2028-12-25', '2028-12-26'],
    2029: ['2029-01-01', '2029-03-30', '2029-04-02', '2029-04-27', '2029-05-05', '2029-05-10', '2029-05-21', '2029-12-25', '2029-12-26'],
  };
  it.each(Object.entries(expected))('%s: with the decree days', (year, dates) => {
    expect(publicHolidays(Number(year))).toEqual(dates);
  });

  it('DOMAIN.md R8 examples: 2 January 2026 and 15 May 2026 are not working days', () => {
    for (const date of ['2026-01-02', '2026-05-15']) {
      expect(publicHolidayName(date)).toBe('Gelijkgestelde dag');
      expect(isWorkingDay(date)).toBe(false);
      expect(isWorkingDay(date, NO_DECREES)).toBe(true);
    }
  });

  it('every decree day in the table is a valid weekday with a source, listed once', () => {
    expect(DESIGNATED_DAYS.length).toBeGreaterThan(0);
    expect(new Set(DESIGNATED_DAYS.map((d) => d.date)).size).toBe(DESIGNATED_DAYS.length);
    for (const { date, source } of DESIGNATED_DAYS) {
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(addDays(date, 0)).toBe(date);
      expect(new Date(`${date}T12:00:00Z`).getUTCDay()).not.toBe(0);
      expect(new Date(`${date}T12:00:00Z`).getUTCDay()).not.toBe(6);
      expect(source).toMatch(/^Besluit gelijkstelling .*Atw art\. 3 lid 3/);
      const holiday = nonWorkingHolidays(Number(date.slice(0, 4))).find((h) => h.date === date);
      expect(holiday).toEqual({
        date,
        name: 'Gelijkgestelde dag',
        basis: 'Atw art. 3 lid 3',
        source,
      });
    }
  });

  it('the table is frozen: a new decree is a data change in the source, not a runtime mutation', () => {
    expect(Object.isFrozen(DESIGNATED_DAYS)).toBe(true);
    expect(Object.isFrozen(DESIGNATED_DAYS[0])).toBe(true);
  });

  // A made-up entry, passed in as a parameter only: it never enters DESIGNATED_DAYS.
  const testDecree: DesignatedDay[] = [{ date: '2030-05-31', source: 'test-only decree' }];

  it('a decree day passed in makes that day non-working, with its source', () => {
    expect(isWorkingDay('2030-05-31')).toBe(true); // Friday after Hemelvaartsdag 2030
    expect(isWorkingDay('2030-05-31', testDecree)).toBe(false);
    expect(publicHolidayName('2030-05-31', testDecree)).toBe('Gelijkgestelde dag');
    expect(publicHolidays(2030, testDecree)).toContain('2030-05-31');
    expect(nonWorkingHolidays(2030, testDecree)).toContainEqual({
      date: '2030-05-31',
      name: 'Gelijkgestelde dag',
      basis: 'Atw art. 3 lid 3',
      source: 'test-only decree',
    });
    // Wed 29 May 2030, N = 1: Thu 30 (Hemelvaartsdag) and, with the decree, Fri 31 do not count.
    const at = new Date('2030-05-29T10:00:00Z');
    expect(sellableFrom(at, 1).toISOString()).toBe('2030-05-31T22:00:00.000Z');
    expect(sellableFrom(at, 1, { designatedDays: testDecree }).toISOString()).toBe(
      '2030-06-03T22:00:00.000Z',
    );
    expect(nthCountedDayAfter('2030-05-29', 1, { designatedDays: testDecree })).toBe('2030-06-03');
  });

  it('a decree day on a statutory holiday keeps the statutory name and counts once', () => {
    const onKingsDay: DesignatedDay[] = [{ date: '2030-04-27', source: 'test-only decree' }];
    expect(publicHolidays(2030, onKingsDay)).toEqual(STATUTORY[2030]);
    expect(publicHolidayName('2030-04-27', onKingsDay)).toBe('Koningsdag');
  });

  it.each([
    [[{ date: '2030-02-30', source: 'test-only decree' }]],
    [[{ date: '30-05-2030', source: 'test-only decree' }]],
    [[{ date: '2030-05-31', source: ' ' }]],
  ])('refuses a malformed decree day %j', (days) => {
    expect(() => isWorkingDay('2030-05-30', days)).toThrow(RangeError);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-04-02', true, 'Thursday before Easter'],
    ['2026-04-03', false, 'Goede Vrijdag (Atw art. 3 lid 2)'],
    ['2026-04-06', false, 'Tweede Paasdag'],
    ['2026-04-07', true, 'Tuesday after Easter'],
    ['2026-04-04', false, 'Saturday'],
    ['2026-04-05', false, 'Sunday'],
    ['2026-04-27', false, 'Koningsdag on a Monday'],
    ['2025-04-28', true, 'Monday after Koningsdag 2025 (no shift to Monday)'],
    ['2026-05-05', false, 'Bevrijdingsdag on a Tuesday'],
    ['2026-05-15', false, 'Friday after Hemelvaartsdag 2026, designated by decree'],
    ['2029-05-11', true, 'Friday after Hemelvaartsdag 2029: no decree known'],
    ['2026-12-24', true, 'Kerstavond'],
    ['2026-12-31', true, 'Oudejaarsdag'],
    ['2027-01-01', false, 'Nieuwjaarsdag on a Friday'],
    ['2028-02-29', true, 'leap day, a Tuesday'],
  ])('%s → %p (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it.each([
    ['2026-04-05', 'Eerste Paasdag (a Sunday; Atw art. 1 already covers it)'],
    ['2026-05-24', 'Eerste Pinksterdag (a Sunday)'],
    ['2026-12-31', 'Oudejaarsdag'],
    ['2026-12-24', 'Kerstavond'],
    ['2026-05-04', 'Dodenherdenking'],
  ])('%s (%s) is not a holiday', (date) => {
    expect(publicHolidayName(date)).toBeNull();
  });

  it.each(['2026-02-30', '2026-4-7', '07-04-2026', '2026-04-07T00:00', '', '2026-13-01'])(
    'refuses %p',
    (date) => {
      expect(() => isWorkingDay(date)).toThrow(RangeError);
    },
  );

  it('refuses years before the Algemene termijnenwet (1965)', () => {
    expect(() => isWorkingDay('1964-06-01')).toThrow(RangeError);
    expect(() => publicHolidays(1964)).toThrow(RangeError);
    expect(publicHolidays(1965, NO_DECREES)).toContain('1965-04-16'); // Goede Vrijdag 1965
  });
});

describe('amsterdamDate and startOfAmsterdamDay', () => {
  it.each([
    ['2026-04-02T21:59:59.999Z', '2026-04-02'], // 23:59:59.999 CEST
    ['2026-04-02T22:00:00.000Z', '2026-04-03'], // 00:00 CEST
    ['2026-04-02T23:30:00.000Z', '2026-04-03'],
    ['2026-01-15T22:59:59.999Z', '2026-01-15'], // 23:59:59.999 CET
    ['2026-01-15T23:00:00.000Z', '2026-01-16'], // 00:00 CET
    ['2026-12-31T23:00:00.000Z', '2027-01-01'],
    ['2026-10-25T00:30:00.000Z', '2026-10-25'], // 02:30 CEST, before the clocks go back
    ['2026-10-25T01:30:00.000Z', '2026-10-25'], // 02:30 CET, after
  ])('%s is %s in Amsterdam', (instant, date) => {
    expect(amsterdamDate(new Date(instant))).toBe(date);
  });

  it.each([
    ['2026-01-16', '2026-01-15T23:00:00.000Z'], // winter
    ['2026-07-01', '2026-06-30T22:00:00.000Z'], // summer
    ['2026-03-29', '2026-03-28T23:00:00.000Z'], // DST starts at 02:00 that day: midnight still CET
    ['2026-03-30', '2026-03-29T22:00:00.000Z'],
    ['2026-10-25', '2026-10-24T22:00:00.000Z'], // DST ends at 03:00 that day: midnight still CEST
    ['2026-10-26', '2026-10-25T23:00:00.000Z'],
    ['2027-01-01', '2026-12-31T23:00:00.000Z'],
  ])('00:00 Amsterdam on %s is %s', (date, instant) => {
    expect(startOfAmsterdamDay(date).toISOString()).toBe(instant);
  });

  it('refuses an invalid Date', () => {
    expect(() => amsterdamDate(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('sellableFrom (R8), working days', () => {
  // One row per case: [case, start (UTC), N, sellable from = UTC instant of 00:00 Amsterdam].
  // prettier-ignore
  const cases: Array<[string, string, number, string]> = [
    ['DOMAIN.md: Thu 2 Apr 2026, Goede Vrijdag and Tweede Paasdag skipped → Tue 14 Apr', '2026-04-02T10:00:00Z', 5, '2026-04-13T22:00:00.000Z'],
    ['N = 1 on Thu 2 Apr 2026: Goede Vrijdag does not count → Wed 8 Apr', '2026-04-02T12:00:00Z', 1, '2026-04-07T22:00:00.000Z'],
    ['N = 1 on Good Friday → Wednesday 8 Apr', '2026-04-03T12:00:00Z', 1, '2026-04-07T22:00:00.000Z'],
    ['Saturday 4 Apr 2026, N = 5 → Tue 14 Apr', '2026-04-04T10:00:00Z', 5, '2026-04-13T22:00:00.000Z'],
    ['Sunday 5 Apr 2026 (Easter), N = 5 → Tue 14 Apr', '2026-04-05T10:00:00Z', 5, '2026-04-13T22:00:00.000Z'],
    ['Saturday 11 Apr 2026, N = 5 → Sat 18 Apr', '2026-04-11T10:00:00Z', 5, '2026-04-17T22:00:00.000Z'],
    ['Saturday 11 Apr 2026, N = 1 → Tue 14 Apr', '2026-04-11T10:00:00Z', 1, '2026-04-13T22:00:00.000Z'],
    // Late in the evening Amsterdam time: the Amsterdam date counts, not the UTC date.
    ['23:59 CEST Thu 2 Apr is still 2 Apr', '2026-04-02T21:59:00Z', 5, '2026-04-13T22:00:00.000Z'],
    ['01:30 CEST Fri 3 Apr (23:30Z on 2 Apr) is Goede Vrijdag → Tue 14 Apr', '2026-04-02T23:30:00Z', 5, '2026-04-13T22:00:00.000Z'],
    ['23:59 CET Thu 15 Jan is still 15 Jan', '2026-01-15T22:59:00Z', 1, '2026-01-16T23:00:00.000Z'],
    ['00:30 CET Fri 16 Jan (23:30Z on 15 Jan) is 16 Jan → Tue 20 Jan', '2026-01-15T23:30:00Z', 1, '2026-01-19T23:00:00.000Z'],
    // Christmas and New Year
    ['Mon 22 Dec 2025, N = 5: both Kerstdagen skipped → Thu 1 Jan 2026', '2025-12-22T10:00:00Z', 5, '2025-12-31T23:00:00.000Z'],
    ['Tue 23 Dec 2025, N = 5: Kerstdagen, Nieuwjaarsdag and decree day 2 Jan skipped → Tue 6 Jan 2026', '2025-12-23T10:00:00Z', 5, '2026-01-05T23:00:00.000Z'],
    ['Wed 31 Dec 2025, N = 1: 1 Jan and decree day 2 Jan skipped → Tue 6 Jan 2026', '2025-12-31T10:00:00Z', 1, '2026-01-05T23:00:00.000Z'],
    ['Thu 24 Dec 2026, N = 5: Kerstdag on Fri, Nieuwjaarsdag on Fri → Tue 5 Jan 2027', '2026-12-24T10:00:00Z', 5, '2027-01-04T23:00:00.000Z'],
    // Hemelvaartsdag and the decree day after it
    ['Wed 13 May 2026, N = 1: Hemelvaartsdag and decree day 15 May skipped → Tue 19 May', '2026-05-13T10:00:00Z', 1, '2026-05-18T22:00:00.000Z'],
    ['Wed 26 Apr 2028, N = 1: Koningsdag and decree day 28 Apr skipped → Tue 2 May', '2028-04-26T10:00:00Z', 1, '2028-05-01T22:00:00.000Z'],
    ['Wed 4 May 2016, N = 1: Hemelvaartsdag on 5 mei skipped once → Sat 7 May', '2016-05-04T10:00:00Z', 1, '2016-05-06T22:00:00.000Z'],
    // DST transitions (last Sunday of March / October 2026: 29 March, 25 October)
    ['Thu 26 Mar 2026 (CET), N = 1 → Sat 28 Mar, midnight in CET', '2026-03-26T10:00:00Z', 1, '2026-03-27T23:00:00.000Z'],
    ['Fri 27 Mar 2026 (CET), N = 1 → Tue 31 Mar, midnight in CEST', '2026-03-27T10:00:00Z', 1, '2026-03-30T22:00:00.000Z'],
    ['Fri 23 Oct 2026 (CEST), N = 1 → Tue 27 Oct, midnight in CET', '2026-10-23T10:00:00Z', 1, '2026-10-26T23:00:00.000Z'],
    // Long periods
    ['Mon 20 Apr 2026, N = 30: Koningsdag, 5 mei, Hemelvaart, 15 May, Pinkstermaandag skipped → Tue 9 Jun', '2026-04-20T10:00:00Z', 30, '2026-06-08T22:00:00.000Z'],
    ['Mon 1 Dec 2025, N = 30: across Christmas, New Year and 2 Jan → Sat 17 Jan 2026', '2025-12-01T10:00:00Z', 30, '2026-01-16T23:00:00.000Z'],
  ];
  it.each(cases)('%s', (_case, start, days, expected) => {
    expect(sellableFrom(new Date(start), days).toISOString()).toBe(expected);
    expect(sellableFrom(new Date(start), days, { kind: 'working' }).toISOString()).toBe(expected);
  });

  // Every year 1995–2035: registered on the Thursday before Easter with the default N = 5 working
  // days. Goede Vrijdag and Tweede Paasdag (and in some years Koninginnedag/Koningsdag) are skipped.
  // prettier-ignore
  const maundyThursdays: Array<[number, string, string]> = [
    [1995, '1995-04-13', '1995-04-25'],
    [1996, '1996-04-04', '1996-04-16'],
    [1997, '1997-03-27', '1997-04-08'],
    [1998, '1998-04-09', '1998-04-21'],
    [1999, '1999-04-01', '1999-04-13'],
    [2000, '2000-04-20', '2000-05-02'],
    [2001, '2001-04-12', '2001-04-24'],
    [2002, '2002-03-28', '2002-04-09'],
    [2003, '2003-04-17', '2003-04-29'],
    [2004, '2004-04-08', '2004-04-20'],
    [2005, '2005-03-24', '2005-04-05'],
    [2006, '2006-04-13', '2006-04-25'],
    [2007, '2007-04-05', '2007-04-17'],
    [2008, '2008-03-20', '2008-04-01'],
    [2009, '2009-04-09', '2009-04-21'],
    [2010, '2010-04-01', '2010-04-13'],
    [2011, '2011-04-21', '2011-05-03'],
    [2012, '2012-04-05', '2012-04-17'],
    [2013, '2013-03-28', '2013-04-09'],
    [2014, '2014-04-17', '2014-04-29'],
    [2015, '2015-04-02', '2015-04-14'],
    [2016, '2016-03-24', '2016-04-05'],
    [2017, '2017-04-13', '2017-04-25'],
    [2018, '2018-03-29', '2018-04-10'],
    [2019, '2019-04-18', '2019-04-30'],
    [2020, '2020-04-09', '2020-04-21'],
    [2021, '2021-04-01', '2021-04-13'],
    [2022, '2022-04-14', '2022-04-26'],
    [2023, '2023-04-06', '2023-04-18'],
    [2024, '2024-03-28', '2024-04-09'],
    [2025, '2025-04-17', '2025-04-29'],
    [2026, '2026-04-02', '2026-04-14'],
    [2027, '2027-03-25', '2027-04-06'],
    [2028, '2028-04-13', '2028-04-25'],
    [2029, '2029-03-29', '2029-04-10'],
    [2030, '2030-04-18', '2030-04-30'],
    [2031, '2031-04-10', '2031-04-22'],
    [2032, '2032-03-25', '2032-04-06'],
    [2033, '2033-04-14', '2033-04-26'],
    [2034, '2034-04-06', '2034-04-18'],
    [2035, '2035-03-22', '2035-04-03'],
  ];
  it.each(maundyThursdays)(
    '%i: Thursday %s, N = 5 working days → sellable from %s 00:00',
    (_y, thursday, expected) => {
      expect(new Date(`${thursday}T12:00:00Z`).getUTCDay()).toBe(4);
      const result = sellableFrom(new Date(`${thursday}T10:00:00Z`), 5);
      expect(amsterdamDate(result)).toBe(expected);
      expect(result.getTime()).toBe(startOfAmsterdamDay(expected).getTime());
      expect(nthCountedDayAfter(thursday, 5)).toBe(addDays(expected, -1));
    },
  );
});

describe('sellableFrom (R8), N = 0: sellable at once', () => {
  it.each([
    ['a Thursday', '2026-04-02T10:00:00Z'],
    ['a Friday evening', '2026-04-10T15:00:00Z'],
    ['Tweede Paasdag', '2026-04-06T09:00:00Z'],
    ['Oudejaarsdag', '2026-12-31T12:00:00Z'],
    ['a Sunday', '2026-04-12T10:00:00Z'],
    ['00:00 CEST (22:00Z the day before)', '2026-04-02T22:00:00Z'],
    ['during the DST switch', '2026-03-29T01:30:00Z'],
  ])('on %s: the start itself, the same day', (_case, start) => {
    for (const kind of ['working', 'calendar'] as const) {
      const result = sellableFrom(new Date(start), 0, { kind });
      expect(result.toISOString()).toBe(new Date(start).toISOString());
      expect(amsterdamDate(result)).toBe(amsterdamDate(new Date(start)));
    }
    expect(sellableFrom(new Date(start), 0).toISOString()).toBe(new Date(start).toISOString());
  });

  it('returns a new Date, not the argument', () => {
    const start = new Date('2026-04-02T10:00:00Z');
    expect(sellableFrom(start, 0)).not.toBe(start);
  });

  it('nthCountedDayAfter(date, 0) is the date itself', () => {
    expect(nthCountedDayAfter('2026-04-03', 0)).toBe('2026-04-03');
    expect(nthCountedDayAfter('2026-04-03', 0, { kind: 'calendar' })).toBe('2026-04-03');
  });
});

describe('sellableFrom (R8), calendar days', () => {
  // prettier-ignore
  const cases: Array<[string, string, number, string]> = [
    ['DOMAIN.md: Fri 27 Nov 2026, N = 3 calendar days → Tue 1 Dec 2026 00:00', '2026-11-27T10:00:00Z', 3, '2026-11-30T23:00:00.000Z'],
    ['Thu 2 Apr 2026, N = 5: Goede Vrijdag, Easter and Tweede Paasdag count → Wed 8 Apr', '2026-04-02T10:00:00Z', 5, '2026-04-07T22:00:00.000Z'],
    ['Fri 27 Mar 2026, N = 2 → Mon 30 Mar, midnight in CEST', '2026-03-27T10:00:00Z', 2, '2026-03-29T22:00:00.000Z'],
    ['Sat 24 Oct 2026, N = 1 → Mon 26 Oct, midnight in CET', '2026-10-24T10:00:00Z', 1, '2026-10-25T23:00:00.000Z'],
    ['Thu 31 Dec 2026, N = 1 → Sat 2 Jan 2027', '2026-12-31T12:00:00Z', 1, '2027-01-01T23:00:00.000Z'],
    ['Thu 2 Apr 2026, N = 30 → Sun 3 May 2026', '2026-04-02T10:00:00Z', 30, '2026-05-02T22:00:00.000Z'],
    ['23:30 CET Fri 27 Nov (22:30Z) is still 27 Nov', '2026-11-27T22:30:00Z', 3, '2026-11-30T23:00:00.000Z'],
    ['00:30 CET Sat 28 Nov (23:30Z on 27 Nov) is 28 Nov → Wed 2 Dec', '2026-11-27T23:30:00Z', 3, '2026-12-01T23:00:00.000Z'],
  ];
  it.each(cases)('%s', (_case, start, days, expected) => {
    expect(sellableFrom(new Date(start), days, { kind: 'calendar' }).toISOString()).toBe(expected);
  });

  it('calendar days ignore the decree days too', () => {
    const decree: DesignatedDay[] = [{ date: '2026-11-30', source: 'test-only decree' }];
    const at = new Date('2026-11-27T10:00:00Z');
    expect(sellableFrom(at, 3, { kind: 'calendar', designatedDays: decree }).toISOString()).toBe(
      '2026-11-30T23:00:00.000Z',
    );
  });
});

describe('sellableFrom (R8), arguments', () => {
  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses days %p', (n) => {
    expect(() => sellableFrom(new Date('2026-04-02T10:00:00Z'), n)).toThrow(RangeError);
    expect(() => nthCountedDayAfter('2026-04-02', n)).toThrow(RangeError);
  });

  it.each(['weekdays', '', 'Working'])('refuses kind %p', (kind) => {
    const options = { kind } as unknown as { kind: 'working' };
    expect(() => sellableFrom(new Date('2026-04-02T10:00:00Z'), 5, options)).toThrow(RangeError);
    expect(() => sellableFrom(new Date('2026-04-02T10:00:00Z'), 0, options)).toThrow(RangeError);
  });

  it('refuses an invalid start', () => {
    expect(() => sellableFrom(new Date(''), 5)).toThrow(RangeError);
    expect(() => sellableFrom(new Date(''), 0)).toThrow(RangeError);
  });

  it('property: Amsterdam midnight, after the start, exactly N counted days in between', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom('working' as const, 'calendar' as const),
        (start, n, kind) => {
          const counts = kind === 'working' ? isWorkingDay : () => true;
          const result = sellableFrom(start, n, { kind });
          const resultDate = amsterdamDate(result);
          expect(startOfAmsterdamDay(resultDate).getTime()).toBe(result.getTime());
          expect(result.getTime()).toBeGreaterThan(start.getTime());
          // Walk the calendar days strictly between the start date and the result date.
          let counted = 0;
          let lastDay = '';
          for (
            let day = addDays(amsterdamDate(start), 1);
            day < resultDate;
            day = addDays(day, 1)
          ) {
            lastDay = day;
            if (counts(day)) counted += 1;
          }
          expect(counted).toBe(n);
          // The day before the result is the N-th counted day itself.
          expect(counts(lastDay)).toBe(true);
          if (kind === 'calendar') expect(lastDay).toBe(addDays(amsterdamDate(start), n));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not depend on the process time zone', () => {
    const original = process.env.TZ;
    const results: string[] = [];
    try {
      for (const tz of ['UTC', 'America/New_York', 'Pacific/Kiritimati', 'Europe/Amsterdam']) {
        process.env.TZ = tz;
        results.push(
          [
            sellableFrom(new Date('2026-04-02T23:30:00Z'), 5).toISOString(),
            sellableFrom(new Date('2026-11-27T22:30:00Z'), 3, { kind: 'calendar' }).toISOString(),
            amsterdamDate(new Date('2026-04-02T22:00:00Z')),
            startOfAmsterdamDay('2026-10-26').toISOString(),
          ].join(' '),
        );
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toBe(
      '2026-04-13T22:00:00.000Z 2026-11-30T23:00:00.000Z 2026-04-03 2026-10-25T23:00:00.000Z',
    );
  });
});
