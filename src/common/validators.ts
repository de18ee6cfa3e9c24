import { Matches, ValidateIf, ValidationOptions } from 'class-validator';

/** Small reusable validators for Dutch identifiers (STYLE.md "Boundaries"). */
export const GM_CODE = /^GM\d{4}$/;
export const KVK_NUMBER = /^\d{8}$/;
/** A Dutch postal code: four digits (not starting with 0), a space, two capital letters (R6). */
export const DUTCH_POSTAL_CODE = /^[1-9]\d{3} (?!SA|SD|SS)[A-Z]{2}$/;

export const IsGmCode = (opts?: ValidationOptions) =>
  Matches(GM_CODE, {
    message: '$property must be a CBS municipality code: GM followed by 4 digits',
    ...opts,
  });

export const IsKvkNumber = (opts?: ValidationOptions) =>
  Matches(KVK_NUMBER, { message: '$property must be a KvK number of 8 digits', ...opts });

export const IsDutchPostalCode = (opts?: ValidationOptions) =>
  Matches(DUTCH_POSTAL_CODE, {
    message: '$property must be a Dutch postal code such as 9501 AB',
    ...opts,
  });

/** Normalises "9501ab" / "9501 AB" to the canonical "9501 AB". */
export function normalisePostalCode(value: string): string {
  const compact = value.replace(/\s+/g, '').toUpperCase();
  return /^\d{4}[A-Z]{2}$/.test(compact)
    ? `${compact.slice(0, 4)} ${compact.slice(4)}`
    : value.trim();
}

/**
 * An optional field of a partial update: it may be left out, but not sent as null (null would
 * reach a NOT NULL column). Unlike @IsOptional(), null is validated — and refused — like any value.
 */
export const IsOptionalNotNull = () =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);

/** class-transformer: a string trimmed (other values untouched, so that validation still refuses them). */
export const trim = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

/** class-transformer: a string trimmed and in capitals (codes such as NL, GM0037, document numbers). */
export const upper = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;
