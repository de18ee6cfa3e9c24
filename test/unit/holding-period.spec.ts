import fc from 'fast-check';
import {
  amsterdamDate,
  easterSunday,
  isWorkingDay,
  publicHolidayName,
  publicHolidays,
  sellableFrom,
  startOfAmsterdamDay,
} from '../../src/acquisitions/holding-period';

/*
 * Expected dates are hard-coded (Easter from the published tables, the rest derived from the
 * Algemene termijnenwet by hand and cross-checked with python-dateutil's easter()), never
 * computed with the code under test.
 */

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

describe('publicHolidays (Algemene termijnenwet)', () => {
  // prettier-ignore
  const expected: Record<number, string[]> = {
    2024: ['2024-01-01', '2024-04-01', '2024-04-27', '2024-05-05', '2024-05-09', '2024-05-20', '2024-12-25', '2024-12-26'],
    2025: ['2025-01-01', '2025-04-21', '2025-04-26', '2025-05-05', '2025-05-29', '2025-06-09', '2025-12-25', '2025-12-26'],
    2026: ['2026-01-01', '2026-04-06', '2026-04-27', '2026-05-05', '2026-05-14', '2026-05-25', '2026-12-25', '2026-12-26'],
    2027: ['2027-01-01', '2027-03-29', '2027-04-27', '2027-05-05', '2027-05-06', '2027-05-17', '2027-12-25', '2027-12-26'],
    2028: ['2028-01-01', '2028-04-17', '2028-04-27', '2028-05-05', '2028-05-25', '2028-06-05', '2028-12-25', '2028-12-26'],
    2029: ['2029-01-01', '2029-04-02', '2029-04-27', '2029-05-05', '2029-05-10', '2029-05-21', '2029-12-25', '2029-12-26'],
    2030: ['2030-01-01', '2030-04-22', '2030-04-27', '2030-05-05', '2030-05-30', '2030-06-10', '2030-12-25', '2030-12-26'],
  };
  const names = [
    'Nieuwjaarsdag',
    'Tweede Paasdag',
    'Koningsdag',
    'Bevrijdingsdag',
    'Hemelvaartsdag',
    'Tweede Pinksterdag',
    'Eerste Kerstdag',
    'Tweede Kerstdag',
  ];

  it.each(Object.entries(expected))('%s: exactly the eight holidays', (year, dates) => {
    expect(publicHolidays(Number(year))).toEqual(dates);
  });

  const everyHoliday = Object.values(expected).flatMap((dates) =>
    dates.map((date, i) => [date, names[i]] as const),
  );
  it.each(everyHoliday)('%s is %s and not a working day', (date, name) => {
    expect(publicHolidayName(date)).toBe(name);
    expect(isWorkingDay(date)).toBe(false);
  });

  it.each([
    [2025, '2025-04-26', '2025-04-27'], // 27 April 2025 is a Sunday → Saturday 26 April
    [2031, '2031-04-26', '2031-04-27'], // 27 April 2031 is a Sunday too
  ])('Koningsdag %i falls on %s, not on Sunday %s', (year, kingsDay, sunday) => {
    expect(publicHolidays(year)).toContain(kingsDay);
    expect(publicHolidays(year)).not.toContain(sunday);
    expect(publicHolidayName(sunday)).toBeNull();
  });

  it('5 mei is a holiday every year (not only every fifth year)', () => {
    for (let year = 2024; year <= 2035; year++) {
      expect(publicHolidayName(`${year}-05-05`)).toBe('Bevrijdingsdag');
    }
  });

  it('counts Hemelvaartsdag on 5 mei once (2016)', () => {
    const holidays2016 = publicHolidays(2016);
    expect(holidays2016).toEqual([...new Set(holidays2016)]);
    expect(holidays2016).toHaveLength(7);
    expect(holidays2016).toContain('2016-05-05');
  });

  it.each([
    ['2026-04-03', 'Goede Vrijdag'],
    ['2026-04-05', 'Eerste Paasdag'],
    ['2026-05-24', 'Eerste Pinksterdag'],
    ['2026-12-31', 'Oudejaarsdag'],
    ['2026-12-24', 'Kerstavond'],
  ])('%s (%s) is not a holiday', (date) => {
    expect(publicHolidayName(date)).toBeNull();
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-04-03', true, 'Goede Vrijdag is a working day'],
    ['2026-04-06', false, 'Tweede Paasdag'],
    ['2026-04-07', true, 'Tuesday after Easter'],
    ['2026-04-04', false, 'Saturday'],
    ['2026-04-05', false, 'Sunday'],
    ['2026-04-27', false, 'Koningsdag on a Monday'],
    ['2025-04-28', true, 'Monday after Koningsdag 2025 (no shift to Monday)'],
    ['2026-05-05', false, 'Bevrijdingsdag on a Tuesday'],
    ['2026-05-15', true, 'Friday after Hemelvaartsdag'],
    ['2026-12-24', true, 'Kerstavond'],
    ['2026-12-31', true, 'Oudejaarsdag'],
    ['2027-01-01', false, 'Nieuwjaarsdag on a Friday'],
    ['2028-02-29', true, 'leap day, a Tuesday'],
  ])('%s → %p (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it.each(['2026-02-30', '2026-4-7', '07-04-2026', '2026-04-07T00:00', '', '2026-13-01'])(
    'refuses %p',
    (date) => {
      expect(() => isWorkingDay(date)).toThrow(RangeError);
    },
  );
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

describe('sellableFrom (R8)', () => {
  // One row per case: [case, acquiredAt (UTC), N, sellable from = UTC instant of 00:00 Amsterdam].
  // prettier-ignore
  const cases: Array<[string, string, number, string]> = [
    ['DOMAIN.md: Thu 2 Apr 2026, skipping Tweede Paasdag → Sat 11 Apr', '2026-04-02T10:00:00Z', 5, '2026-04-10T22:00:00.000Z'],
    ['N = 0 on a Thursday → Friday', '2026-04-02T10:00:00Z', 0, '2026-04-02T22:00:00.000Z'],
    ['N = 0 on a Friday → Saturday, not Monday', '2026-04-10T15:00:00Z', 0, '2026-04-10T22:00:00.000Z'],
    ['N = 0 on Tweede Paasdag → Tuesday', '2026-04-06T09:00:00Z', 0, '2026-04-06T22:00:00.000Z'],
    ['N = 0 on Oudejaarsdag → Nieuwjaarsdag', '2026-12-31T12:00:00Z', 0, '2026-12-31T23:00:00.000Z'],
    ['N = 1 on Thu 2 Apr 2026: Goede Vrijdag counts → Sat 4 Apr', '2026-04-02T12:00:00Z', 1, '2026-04-03T22:00:00.000Z'],
    ['N = 1 on Good Friday → Wednesday 8 Apr', '2026-04-03T12:00:00Z', 1, '2026-04-07T22:00:00.000Z'],
    ['Saturday 4 Apr 2026, N = 5 → Tue 14 Apr', '2026-04-04T10:00:00Z', 5, '2026-04-13T22:00:00.000Z'],
    ['Sunday 5 Apr 2026 (Easter), N = 5 → Tue 14 Apr', '2026-04-05T10:00:00Z', 5, '2026-04-13T22:00:00.000Z'],
    ['Saturday 11 Apr 2026, N = 5 → Sat 18 Apr', '2026-04-11T10:00:00Z', 5, '2026-04-17T22:00:00.000Z'],
    ['Saturday 11 Apr 2026, N = 1 → Tue 14 Apr', '2026-04-11T10:00:00Z', 1, '2026-04-13T22:00:00.000Z'],
    ['Sunday 12 Apr 2026, N = 0 → Mon 13 Apr', '2026-04-12T10:00:00Z', 0, '2026-04-12T22:00:00.000Z'],
    // Late in the evening Amsterdam time: the Amsterdam date counts, not the UTC date.
    ['23:59 CEST Thu 2 Apr is still 2 Apr', '2026-04-02T21:59:00Z', 5, '2026-04-10T22:00:00.000Z'],
    ['01:30 CEST Fri 3 Apr (23:30Z on 2 Apr) is 3 Apr → Tue 14 Apr', '2026-04-02T23:30:00Z', 5, '2026-04-13T22:00:00.000Z'],
    ['00:00 CEST Fri 3 Apr (22:00Z on 2 Apr) is 3 Apr', '2026-04-02T22:00:00Z', 0, '2026-04-03T22:00:00.000Z'],
    ['23:59 CET Thu 15 Jan is still 15 Jan', '2026-01-15T22:59:00Z', 1, '2026-01-16T23:00:00.000Z'],
    ['00:30 CET Fri 16 Jan (23:30Z on 15 Jan) is 16 Jan → Tue 20 Jan', '2026-01-15T23:30:00Z', 1, '2026-01-19T23:00:00.000Z'],
    // Christmas and New Year
    ['Mon 22 Dec 2025, N = 5: both Kerstdagen skipped → Thu 1 Jan 2026', '2025-12-22T10:00:00Z', 5, '2025-12-31T23:00:00.000Z'],
    ['Tue 23 Dec 2025, N = 5: Kerstdagen and Nieuwjaarsdag skipped → Sat 3 Jan 2026', '2025-12-23T10:00:00Z', 5, '2026-01-02T23:00:00.000Z'],
    ['Thu 24 Dec 2026, N = 5: Kerstdag on Fri, Nieuwjaarsdag on Fri → Tue 5 Jan 2027', '2026-12-24T10:00:00Z', 5, '2027-01-04T23:00:00.000Z'],
    // DST transitions (last Sunday of March / October 2026: 29 March, 25 October)
    ['Thu 26 Mar 2026 (CET), N = 1 → Sat 28 Mar, midnight in CET', '2026-03-26T10:00:00Z', 1, '2026-03-27T23:00:00.000Z'],
    ['Fri 27 Mar 2026 (CET), N = 1 → Tue 31 Mar, midnight in CEST', '2026-03-27T10:00:00Z', 1, '2026-03-30T22:00:00.000Z'],
    ['Sat 28 Mar 2026, N = 0 → Sun 29 Mar 00:00 CET (before the switch)', '2026-03-28T10:00:00Z', 0, '2026-03-28T23:00:00.000Z'],
    ['Sun 29 Mar 2026 03:30 CEST, N = 0 → Mon 30 Mar 00:00 CEST', '2026-03-29T01:30:00Z', 0, '2026-03-29T22:00:00.000Z'],
    ['Fri 23 Oct 2026 (CEST), N = 1 → Tue 27 Oct, midnight in CET', '2026-10-23T10:00:00Z', 1, '2026-10-26T23:00:00.000Z'],
    ['Sat 24 Oct 2026, N = 0 → Sun 25 Oct 00:00 CEST (before the switch)', '2026-10-24T10:00:00Z', 0, '2026-10-24T22:00:00.000Z'],
    ['Sun 25 Oct 2026 02:30 CET (second time round), N = 0 → Mon 26 Oct 00:00 CET', '2026-10-25T01:30:00Z', 0, '2026-10-25T23:00:00.000Z'],
    // Long periods
    ['Mon 20 Apr 2026, N = 30: Koningsdag, 5 mei, Hemelvaart, Pinkstermaandag skipped → Sat 6 Jun', '2026-04-20T10:00:00Z', 30, '2026-06-05T22:00:00.000Z'],
    ['Mon 1 Dec 2025, N = 30: across Christmas and New Year → Fri 16 Jan 2026', '2025-12-01T10:00:00Z', 30, '2026-01-15T23:00:00.000Z'],
  ];
  it.each(cases)('%s', (_case, acquiredAt, workingDays, expected) => {
    expect(sellableFrom(new Date(acquiredAt), workingDays).toISOString()).toBe(expected);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses workingDays %p', (n) => {
    expect(() => sellableFrom(new Date('2026-04-02T10:00:00Z'), n)).toThrow(RangeError);
  });

  it('refuses an invalid acquiredAt', () => {
    expect(() => sellableFrom(new Date(''), 5)).toThrow(RangeError);
  });

  it('property: Amsterdam midnight, after the acquisition, exactly N working days in between', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 40 }),
        (acquiredAt, n) => {
          const result = sellableFrom(acquiredAt, n);
          const resultDate = amsterdamDate(result);
          expect(startOfAmsterdamDay(resultDate).getTime()).toBe(result.getTime());
          expect(result.getTime()).toBeGreaterThan(acquiredAt.getTime());
          // Walk the calendar days strictly between the acquisition date and the result date.
          let working = 0;
          let lastDay = '';
          for (
            let t = startOfAmsterdamDay(amsterdamDate(acquiredAt)).getTime() + 36 * 3600_000;
            amsterdamDate(new Date(t)) < resultDate;
            t += 24 * 3600_000
          ) {
            lastDay = amsterdamDate(new Date(t));
            if (isWorkingDay(lastDay)) working += 1;
          }
          expect(working).toBe(n);
          // The day before the result is the N-th working day itself (or the acquisition date when N = 0).
          if (n > 0) expect(isWorkingDay(lastDay)).toBe(true);
          else expect(lastDay).toBe('');
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
    expect(results[0]).toBe('2026-04-13T22:00:00.000Z 2026-04-03 2026-10-25T23:00:00.000Z');
  });
});
