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
