import fc from 'fast-check';
import {
  foldLookalikes,
  identifierKey,
  isValidImei,
  isValidVin,
  matchTier,
  normaliseIdentifier,
  withImeiCheckDigit,
} from '../../src/acquisitions/identifiers';

/** Independent Luhn check digit for a string of digits (written here, not imported). */
function luhnCheckDigit(body: string): number {
  let sum = 0;
  const reversed = [...body].reverse();
  reversed.forEach((ch, i) => {
    let n = Number(ch);
    if (i % 2 === 0) {
      // The rightmost body digit sits next to the check digit and is doubled.
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  });
  return (10 - (sum % 10)) % 10;
}

const withCheckDigit = (body: string) => `${body}${luhnCheckDigit(body)}`;

describe('luhnCheckDigit (test helper) against the textbook example', () => {
  it('79927398713 is the Wikipedia Luhn example', () => {
    expect(withCheckDigit('7992739871')).toBe('79927398713');
  });
});

describe('isValidImei (R5)', () => {
  // Table generator: each listed IMEI must agree with the independent Luhn above, so that a
  // misremembered number fails here rather than silently testing nothing.
  const validImeis = ['356938035643809', '490154203237518', '352099001761481', '012345678901237'];
  it.each(validImeis)('%s is valid (and its check digit agrees with the test Luhn)', (imei) => {
    expect(withCheckDigit(imei.slice(0, 14))).toBe(imei);
    expect(isValidImei(imei)).toBe(true);
  });

  const wrongCheckDigit = validImeis.flatMap((imei) =>
    [1, 2, 5, 9].map((delta) => {
      const last = (Number(imei[14]) + delta) % 10;
      return `${imei.slice(0, 14)}${last}`;
    }),
  );
  it.each([
    ...wrongCheckDigit,
    // Often quoted as a valid example, but its Luhn check digit is 9 (353918058379039).
    '353918058379036',
    // Two adjacent digits swapped (Luhn catches most transpositions).
    '536938035643809',
  ])('%s has a wrong check digit', (imei) => {
    expect(isValidImei(imei)).toBe(false);
  });

  it('353918058379039 is the correctly check-digited variant', () => {
    expect(withCheckDigit('35391805837903')).toBe('353918058379039');
    expect(isValidImei('353918058379039')).toBe(true);
  });

  it.each([
    ['14 digits', '35693803564380'],
    ['16 digits', '3569380356438090'],
    ['16 digits (IMEISV)', '3569380356438001'],
    ['letters', '35693803564380A'],
    ['look-alike letter O', '3569380356438O9'],
    ['spaces', '356938 035643809'],
    ['dashes', '35-693803-564380-9'],
    ['leading space', ' 356938035643809'],
    ['trailing newline', '356938035643809\n'],
    ['full-width digits', '３５６９３８０３５６４３８０９'],
    ['Arabic-Indic digits', '٣٥٦٩٣٨٠٣٥٦٤٣٨٠٩'],
    ['empty', ''],
  ])('refuses %s: %p', (_case, value) => {
    expect(isValidImei(value)).toBe(false);
  });

  it('property: 14 random digits + computed Luhn digit always validate; any other last digit never does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 }),
        fc.integer({ min: 1, max: 9 }),
        (digits, delta) => {
          const imei = withCheckDigit(digits.join(''));
          expect(isValidImei(imei)).toBe(true);
          const changed = `${imei.slice(0, 14)}${(Number(imei[14]) + delta) % 10}`;
          expect(isValidImei(changed)).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('normaliseIdentifier', () => {
  it.each([
    ['abc-123', 'ABC123'],
    ['  WTU 123 4567 ', 'WTU1234567'],
    ['ab.cd/ef\\gh_ij:kl', 'ABCDEFGHIJKL'],
    ['35-693803-564380-9', '356938035643809'],
    ['sn: c02x\t1234\n', 'SNC02X1234'],
    ['Ré-sumé', 'RESUME'],
    ['ÅÄÖ ñ ç', 'AAONC'],
    ['ﬁ-01', 'FI01'], // ligature, compatibility-decomposed
    ['１２３ＡＢＣ', '123ABC'], // full-width
    ['x²', 'X2'], // superscript two (NFKD)
    ['Ω-ж-中-42', '42'], // letters outside A–Z are dropped
    ['🚲 FR-9', 'FR9'],
    ['---', ''],
    ['', ''],
  ])('%p → %p', (value, expected) => {
    expect(normaliseIdentifier(value)).toBe(expected);
  });

  it('property: idempotent and only A–Z / 0–9', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        const once = normaliseIdentifier(value);
        expect(once).toMatch(/^[A-Z0-9]*$/);
        expect(normaliseIdentifier(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('identifierKey', () => {
  it.each([
    ['imei', '356938035643809', '35693803564380'],
    ['imei', '35 6938 0356 4380 9', '35693803564380'],
    ['imei', '356938035643800', '35693803564380'], // a wrong check digit compares the same
    ['imei', '35693803564380', '35693803564380'], // reported without check digit
    ['imei', '3569380356438090', '3569380356438090'], // 16 digits: not an IMEI, kept whole
    ['serial', 'c02x-1234.ab', 'C02X1234AB'],
    ['serial', '123456789012345', '123456789012345'], // 15 digits keep their last digit outside imei
    ['frame', 'wtu 123 4567 c', 'WTU1234567C'],
    ['vin', 'wvw zzz 1jz xw 000001', 'WVWZZZ1JZXW000001'],
    ['serial', '  -- ', ''],
  ] as const)('%s %p → %p', (kind, value, expected) => {
    expect(identifierKey(kind, value)).toBe(expected);
  });

  it('an IMEI with another check digit is an exact match on the key', () => {
    expect(
      matchTier(identifierKey('imei', '356938035643809'), identifierKey('imei', '356938035643801')),
    ).toBe('exact');
  });
});

describe('foldLookalikes', () => {
  it.each([
    ['OILSBZ', '011582'],
    ['C02X1234AB', 'C02X1234A8'],
    ['WTUO1L5', 'WTU0115'],
    ['ACDEFGHJKMNPQRTUVWXY', 'ACDEFGHJKMNPQRTUVWXY'],
    ['0123456789', '0123456789'],
    ['', ''],
  ])('%p → %p', (value, expected) => {
    expect(foldLookalikes(value)).toBe(expected);
  });
});

describe('matchTier (R12)', () => {
  it.each([
    // exact
    ['ABC123', 'ABC123', 'exact'],
    ['35693803564380', '35693803564380', 'exact'],
    ['X', 'X', 'exact'],
    // possible: equal after folding
    ['ABC0123', 'ABCO123', 'possible'],
    ['S1B2', '5I82', 'possible'], // short keys still match when equal after folding
    ['L00P', '100P', 'possible'],
    ['IL', '11', 'possible'],
    ['Z5', '2S', 'possible'],
    // possible: containment, the contained key at least 6 characters
    ['ABC123', 'XXABC123YY', 'possible'], // exactly 6, contained
    ['XXABC123YY', 'ABC123', 'possible'], // either order
    ['ABC12', 'XXABC12YY', null], // 5 characters: too short
    ['ABC12', 'ABC123', null], // 5 characters, prefix: too short
    ['ABC123', 'ABC1234', 'possible'], // prefix
    ['C123', 'ABC123', null], // 4 characters
    ['AOC1Z3', 'XXA0C123YY', 'possible'], // contained only after folding, 6 characters
    ['AOC1Z', 'XXA0C12YY', null], // 5 characters after folding: too short
    ['35693803564380', '3569380356438090', 'possible'], // IMEI key inside an IMEISV
    // no match
    ['ABC123', 'ABC124', null],
    ['ABC123', 'CBA321', null],
    ['ABCDEF', 'ABCDEG', null],
    ['ABC123', '', null],
    ['', 'ABC123', null],
    ['', '', null],
  ] as const)('%p vs %p → %p', (a, b, expected) => {
    expect(matchTier(a, b)).toBe(expected);
  });

  it('is symmetric and matchTier(x, x) is exact for non-empty keys (property)', () => {
    const key = fc
      .string({ unit: 'grapheme-ascii', maxLength: 24 })
      .map(normaliseIdentifier)
      .filter((k) => k.length > 0);
    fc.assert(
      fc.property(key, key, (x, y) => {
        expect(matchTier(x, x)).toBe('exact');
        expect(matchTier(x, y)).toBe(matchTier(y, x));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('isValidVin', () => {
  it.each([
    ['WVWZZZ1JZXW000001', true],
    ['1HGCM82633A004352', true],
    ['wvw-zzz-1jz-xw-000001', true], // normalised first
    ['WVWZZZ1JZXW00000', false], // 16
    ['WVWZZZ1JZXW0000012', false], // 18
    ['WVWZZZ1JZXW00000I', false], // I
    ['WVWZZZ1JZXW00000O', false], // O
    ['WVWZZZ1JZXW00000Q', false], // Q
    ['', false],
  ])('%p → %p', (value, expected) => {
    expect(isValidVin(value)).toBe(expected);
  });
});

describe('withImeiCheckDigit', () => {
  it.each([
    ['35693803564380', '356938035643809'],
    ['49015420323751', '490154203237518'],
  ])('%s → %s', (body, imei) => {
    expect(withImeiCheckDigit(body)).toBe(imei);
    expect(isValidImei(withImeiCheckDigit(body))).toBe(true);
  });
  it('refuses anything but 14 digits', () => {
    expect(() => withImeiCheckDigit('1234')).toThrow(RangeError);
  });
});
