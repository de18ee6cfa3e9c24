/**
 * Item identifiers (DOMAIN.md R5) and how they are compared with stolen reports (R12).
 *
 * Pure functions: validation (IMEI Luhn, VIN), normalisation to a comparison key, folding of
 * look-alike characters and the match tiers `exact` / `possible`.
 */

export type IdentifierKind = 'imei' | 'serial' | 'frame' | 'vin';
export type MatchTier = 'exact' | 'possible';

/** Minimum length of the shorter identifier for a containment match (R12). */
export const MIN_CONTAINED_LENGTH = 6;

const FIFTEEN_DIGITS = /^[0-9]{15}$/;
/** 17 characters; VINs never use I, O or Q (ISO 3779). */
const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;

/** Sum of the Luhn check over a string of digits whose last digit is the check digit. */
function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Double every second digit counting from the right, the check digit itself not doubled.
    const doubled = (digits.length - 1 - i) % 2 === 1;
    const n = (digits.charCodeAt(i) - 48) * (doubled ? 2 : 1);
    sum += n > 9 ? n - 9 : n;
  }
  return sum;
}

/** Exactly 15 ASCII digits (no spaces or separators) with a valid Luhn check digit. */
export function isValidImei(value: string): boolean {
  return FIFTEEN_DIGITS.test(value) && luhnSum(value) % 10 === 0;
}

/** A valid IMEI from its first 14 digits: appends the Luhn check digit (demo data, benchmarks, tests). */
export function withImeiCheckDigit(first14: string): string {
  if (!/^\d{14}$/.test(first14)) throw new RangeError('withImeiCheckDigit needs exactly 14 digits');
  return first14 + String((10 - (luhnSum(first14 + '0') % 10)) % 10);
}

/**
 * Upper case, only A–Z and 0–9. Compatibility decomposition (NFKD) first, so that "é" keeps its
 * "E", a full-width "１" becomes "1" and a ligature "ﬁ" becomes "FI"; then every character that is
 * not an ASCII letter or digit (spaces, dashes, dots, slashes, combining marks, other scripts) is
 * dropped.
 */
export function normaliseIdentifier(value: string): string {
  return value
    .normalize('NFKD')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

/**
 * The comparison key of an identifier: normalised, and for a 15-digit IMEI only its first 14
 * digits (the check digit is derived from them and not compared).
 */
export function identifierKey(kind: IdentifierKind, value: string): string {
  const normalised = normaliseIdentifier(value);
  switch (kind) {
    case 'imei':
      return FIFTEEN_DIGITS.test(normalised) ? normalised.slice(0, 14) : normalised;
    case 'serial':
    case 'frame':
    case 'vin':
      return normalised;
  }
}

const LOOKALIKES: Readonly<Record<string, string>> = {
  O: '0',
  I: '1',
  L: '1',
  S: '5',
  B: '8',
  Z: '2',
};

/** Folds look-alike letters onto digits (O→0, I→1, L→1, S→5, B→8, Z→2) in a normalised value. */
export function foldLookalikes(normalised: string): string {
  return normalised.replace(/[OILSBZ]/g, (c) => LOOKALIKES[c]);
}

/**
 * R12 tiers on two comparison keys (see `identifierKey`): `exact` when equal; `possible` when equal
 * after folding look-alikes, or when the shorter one, of at least 6 characters, is contained in the
 * other (after folding); otherwise null. An empty key never matches.
 */
export function matchTier(a: string, b: string): MatchTier | null {
  if (a === '' || b === '') return null;
  if (a === b) return 'exact';
  const foldedA = foldLookalikes(a);
  const foldedB = foldLookalikes(b);
  if (foldedA === foldedB) return 'possible';
  const [shorter, longer] =
    foldedA.length <= foldedB.length ? [foldedA, foldedB] : [foldedB, foldedA];
  if (shorter.length >= MIN_CONTAINED_LENGTH && longer.includes(shorter)) return 'possible';
  return null;
}

/** 17 characters after normalisation, letters and digits without I, O and Q. */
export function isValidVin(value: string): boolean {
  return VIN.test(normaliseIdentifier(value));
}

/**
 * The rows that index a line's keys (R12): each key folded, whole, plus each of its suffixes of at
 * least 6 characters. "A key contains V" is then "a suffix starts with V" (a B-tree range), "a key
 * equals V" is "the whole key is V" — both index lookups, whatever the size of the register.
 */
export function keySuffixes(
  keys: (string | null | undefined)[],
): { suffix: string; whole: boolean }[] {
  const rows = new Map<string, boolean>();
  for (const key of keys) {
    if (!key) continue;
    const folded = foldLookalikes(key);
    rows.set(folded, true);
    for (let i = 1; folded.length - i >= MIN_CONTAINED_LENGTH; i++) {
      const suffix = folded.slice(i);
      if (!rows.has(suffix)) rows.set(suffix, false);
    }
  }
  return [...rows].map(([suffix, whole]) => ({ suffix, whole }));
}

/** Longest key whose shorter sub-keys are looked up for containment (a longer one is matched on its whole). */
const MAX_SUBKEY_SOURCE = 40;

/**
 * The folded sub-keys of at least 6 characters that a shorter identifier would have to equal to be
 * "contained" in this one (R12) — the whole key itself excluded.
 */
export function containedSubkeys(folded: string): string[] {
  if (folded.length > MAX_SUBKEY_SOURCE) return [];
  const out = new Set<string>();
  for (let len = MIN_CONTAINED_LENGTH; len < folded.length; len++) {
    for (let i = 0; i + len <= folded.length; i++) out.add(folded.slice(i, i + len));
  }
  return [...out];
}

/** The best tier between one key and any of several keys (null: no match). */
export function bestTier(key: string, others: (string | null | undefined)[]): MatchTier | null {
  let best: MatchTier | null = null;
  for (const o of others) {
    if (!o) continue;
    const t = matchTier(key, o);
    if (t === 'exact') return t;
    if (t) best = t;
  }
  return best;
}
