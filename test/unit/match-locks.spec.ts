import fc from 'fast-check';
import { matchTier, withImeiCheckDigit } from '../../src/acquisitions/identifiers';
import {
  conflict,
  guardLock,
  hash32,
  lineLocks,
  LINE_LOCK_BUDGET,
  normalise,
  reportLocks,
} from '../../src/police/match-locks';

/** Letters that fold (O/0, I/L/1, S/5, B/8, Z/2) and some that do not: matches of every kind are frequent. */
const key = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0O1ILS5B8Z2AC7'), minLength: min, maxLength: max });

/** A line key and a report key that are often equal, folded-equal, or one inside the other. */
const pair = fc.oneof(
  fc.tuple(key(1, 20), key(1, 20)),
  // the report inside the line
  fc.tuple(key(6, 24), fc.nat(), fc.nat()).map(([l, a, b]) => {
    const start = a % l.length;
    return [l, l.slice(start, start + 6 + (b % (l.length - start + 1)))] as [string, string];
  }),
  // the line inside the report
  fc.tuple(key(6, 24), fc.nat(), fc.nat()).map(([r, a, b]) => {
    const start = a % r.length;
    return [r.slice(start, start + 6 + (b % (r.length - start + 1))), r] as [string, string];
  }),
);

describe('R12 matching locks (PostgreSQL): a line and a report that can match always wait for each other', () => {
  it('every pair that matchTier matches shares a lock in conflicting modes (both orders of commit are then safe)', () => {
    fc.assert(
      fc.property(pair, ([line, report]) => {
        if (matchTier(line, report) === null) return;
        expect(conflict(lineLocks([line]), [guardLock(false), ...reportLocks(report)])).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('a line among several keys of an item still conflicts through the matching key', () => {
    const serial = 'PF3AC7CA2';
    expect(conflict(lineLocks(['35693803564380', serial]), reportLocks('3AC7CA'))).toBe(true);
    expect(conflict(lineLocks(['35693803564380', serial]), reportLocks(`X${serial}Y`))).toBe(true);
    expect(
      conflict(lineLocks(['35693803564380', serial]), reportLocks('PF3AC7CA2'.replace('2', 'Z'))),
    ).toBe(true);
  });

  it('unrelated identifiers do not wait for each other, also phones of one model (same first 8 IMEI digits)', () => {
    // Serial parts from a fixed pseudo-random sequence; a false conflict would need a line's 6 digits
    // to recur in a report key (about 1 in 100,000 pairs), none does in this set.
    const tac = '35332811';
    let x = 20260501;
    const next6 = () =>
      String((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % 1_000_000).padStart(6, '0');
    const phones = Array.from({ length: 200 }, () =>
      withImeiCheckDigit(`${tac}${next6()}`).slice(0, 14),
    );
    const reports = phones.slice(0, 100).flatMap((p) => reportLocks(p));
    const unrelated = phones
      .slice(100)
      .filter((p) => phones.slice(0, 100).every((r) => matchTier(p, r) === null));
    expect(unrelated.length).toBeGreaterThan(90);
    const blocked = unrelated.filter((p) =>
      conflict(lineLocks([p]), [guardLock(false), ...reports]),
    );
    expect(blocked).toEqual([]);
  });

  it('lines never wait for lines and reports never for reports, unless they end in the same 6 characters', () => {
    expect(conflict(lineLocks(['ACDEFGHJKM']), lineLocks(['XACDEFGHJK']))).toBe(false);
    expect(conflict(reportLocks('ACDEFGHJKM'), reportLocks('XACDEFGHJK'))).toBe(false);
    expect(
      conflict(
        [guardLock(false), ...reportLocks('ACDEFGHJKM')],
        [guardLock(false), ...reportLocks('QQQQQQ')],
      ),
    ).toBe(false);
    expect(conflict(lineLocks(['ACDEFGHJKM']), lineLocks(['QQQQFGHJKM']))).toBe(true);
  });

  it('the guard: exclusive (many lines) against every report transaction, and never against lines', () => {
    expect(conflict([guardLock(true)], [guardLock(false), ...reportLocks('QQQQQQ')])).toBe(true);
    expect(conflict([guardLock(true)], lineLocks(['ACDEFGHJKM']))).toBe(false);
    expect(conflict([guardLock(true)], [guardLock(true)])).toBe(true);
  });

  it('a line with an IMEI and a serial stays well within the per-transaction budget', () => {
    expect(
      normalise(lineLocks(['35693803564380', '35693803564381', 'PF3AC7CA2XX'])).length,
    ).toBeLessThan(LINE_LOCK_BUDGET / 8);
  });

  it('locks come out once each, exclusive when any request is, sorted by space and key (one global order: no deadlock)', () => {
    const locks = normalise([
      { space: 2, key: 5, exclusive: false },
      { space: 1, key: 9, exclusive: false },
      { space: 2, key: -3, exclusive: false },
      { space: 2, key: 5, exclusive: true },
      { space: 1, key: 9, exclusive: false },
    ]);
    expect(locks).toEqual([
      { space: 1, key: 9, exclusive: false },
      { space: 2, key: -3, exclusive: false },
      { space: 2, key: 5, exclusive: true },
    ]);
  });

  it('hash32 is a signed 32-bit integer (the int4 of pg_advisory_xact_lock(int, int))', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const h = hash32(s);
        expect(Number.isInteger(h) && h >= -(2 ** 31) && h < 2 ** 31).toBe(true);
      }),
    );
    expect(hash32('ACDEFG')).not.toBe(hash32('ACDEFH'));
  });
});
