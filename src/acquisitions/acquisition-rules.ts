import type { Category } from '../dealers/dealer.entity';
import type { FieldProblem } from '../common/validation-failed';
import { DUTCH_POSTAL_CODE, normalisePostalCode } from '../common/validators';
import { amsterdamDate } from './holding-period';
import { isValidImei, isValidVin, normaliseIdentifier } from './identifiers';
import type { ItemDto, SellerDto } from './dto/acquisition.dto';

/** A rule broken by an acquisition: the field path (as in the request) and what is wrong. */
export type Problem = FieldProblem;

export interface RuleSettings {
  minimumSellerAge: number;
}

/** R5: which identifier each category needs. */
export const REQUIRED_IDENTIFIER: Partial<
  Record<Category, readonly ('imei' | 'serialNumber' | 'frameNumber' | 'vin')[]>
> = {
  phone: ['imei'],
  laptop: ['serialNumber'],
  tablet: ['serialNumber'],
  computer: ['serialNumber'],
  camera: ['serialNumber'],
  audio_video: ['serialNumber'],
  gaming: ['serialNumber'],
  tools: ['serialNumber'],
  watch: ['serialNumber'],
  bicycle: ['frameNumber'],
  ebike: ['frameNumber'],
  vehicle_part: ['serialNumber', 'vin'],
};

const IDENTIFIER_FIELDS = ['imei', 'imei2', 'serialNumber', 'frameNumber', 'vin'] as const;
/** Accept one minute of clock difference between the counter's till and the server. */
export const CLOCK_SKEW_MS = 60_000;

export function hasText(v: string | null | undefined): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

/**
 * A real calendar date YYYY-MM-DD between 1900 and 9998 (so that its next day still has four
 * digits). The one date check of the API, the services and the portal.
 */
export function isCalendarDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return (
    d.getUTCFullYear() === +m[1] &&
    d.getUTCMonth() === +m[2] - 1 &&
    d.getUTCDate() === +m[3] &&
    +m[1] >= 1900 &&
    +m[1] <= 9998
  );
}

/** Age in whole years on a date (both YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, onDate: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = onDate.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** A Dutch BSN: 9 digits passing the eleven test (elfproef). Never to be recorded (R6). */
export function looksLikeBsn(value: string): boolean {
  const digits = normaliseIdentifier(value);
  if (!/^\d{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (9 - i);
  sum -= Number(digits[8]);
  return sum % 11 === 0;
}

/** R4: the time of the acquisition is a real instant and not in the future. */
export function acquiredAtProblems(acquiredAt: string, now: Date, path = 'acquiredAt'): Problem[] {
  const t = new Date(acquiredAt);
  // JavaScript rolls 30 February over to 2 March and 24:00 to the next day: refuse what no clock shows.
  const clock = /T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(acquiredAt);
  const impossible =
    !isCalendarDate(acquiredAt.slice(0, 10)) ||
    !clock ||
    +clock[1] > 23 ||
    +clock[2] > 59 ||
    +(clock[3] ?? 0) > 59;
  if (impossible || Number.isNaN(t.getTime()))
    return [{ path, code: 'INVALID_DATE', message: `${path} is not a valid date-time` }];
  if (t.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    return [{ path, code: 'ACQUIRED_IN_FUTURE', message: `${path} lies in the future` }];
  }
  if (t.getUTCFullYear() < 2000)
    return [{ path, code: 'INVALID_DATE', message: `${path} is before the year 2000` }];
  return [];
}

/** R6: the seller's identification, and the municipality's minimum age on the acquisition date. */
export function sellerProblems(
  seller: SellerDto,
  acquiredAt: Date,
  settings: RuleSettings,
  path = 'seller',
): Problem[] {
  const problems: Problem[] = [];
  if (!isCalendarDate(seller.dateOfBirth)) {
    problems.push({
      path: `${path}.dateOfBirth`,
      code: 'INVALID_DATE',
      message: `${path}.dateOfBirth is not a valid date`,
    });
  } else if (!Number.isNaN(acquiredAt.getTime())) {
    const age = ageOn(seller.dateOfBirth, amsterdamDate(acquiredAt));
    if (age < 0 || age > 130) {
      problems.push({
        path: `${path}.dateOfBirth`,
        code: 'INVALID_DATE',
        message: `${path}.dateOfBirth is not a plausible date of birth`,
      });
    } else if (age < settings.minimumSellerAge) {
      problems.push({
        path: `${path}.dateOfBirth`,
        code: 'SELLER_UNDER_AGE',
        message: `The seller is ${age}; this municipality buys only from sellers of ${settings.minimumSellerAge} or older`,
      });
    }
  }
  if (
    seller.address.country === 'NL' &&
    !DUTCH_POSTAL_CODE.test(normalisePostalCode(seller.address.postalCode))
  ) {
    problems.push({
      path: `${path}.address.postalCode`,
      code: 'INVALID_POSTAL_CODE',
      message: `${path}.address.postalCode must be a Dutch postal code such as 9501 AB`,
    });
  }
  const docNumber = normaliseIdentifier(seller.idDocument.number);
  if (docNumber.length < 4) {
    problems.push({
      path: `${path}.idDocument.number`,
      code: 'INVALID_DOCUMENT_NUMBER',
      message: `${path}.idDocument.number needs at least 4 letters or digits`,
    });
  } else if (seller.idDocument.issuingCountry === 'NL' && looksLikeBsn(docNumber)) {
    problems.push({
      path: `${path}.idDocument.number`,
      code: 'BSN_NOT_ALLOWED',
      message: `${path}.idDocument.number looks like a BSN; record the document number, never the BSN`,
    });
  }
  return problems;
}

/** R3 and R5: what each line needs for its category. */
export function itemProblems(item: ItemDto, path: string): Problem[] {
  const p: Problem[] = [];
  const add = (field: string, code: string, message: string) =>
    p.push({ path: `${path}.${field}`, code, message: `${path}.${field}: ${message}` });
  const required = REQUIRED_IDENTIFIER[item.category];
  const present = IDENTIFIER_FIELDS.filter((f) => hasText(item[f]));

  if (hasText(item.imei) && !isValidImei(normaliseIdentifier(item.imei)))
    add('imei', 'INVALID_IMEI', 'an IMEI has 15 digits with a valid check digit');
  if (hasText(item.imei2) && !isValidImei(normaliseIdentifier(item.imei2)))
    add('imei2', 'INVALID_IMEI', 'an IMEI has 15 digits with a valid check digit');
  if (hasText(item.imei2) && !hasText(item.imei))
    add('imei2', 'IMEI2_WITHOUT_IMEI', 'give the first IMEI in imei');
  if (hasText(item.vin) && !isValidVin(item.vin))
    add('vin', 'INVALID_VIN', 'a VIN has 17 letters and digits (no I, O or Q)');
  for (const f of ['serialNumber', 'frameNumber'] as const) {
    const key = hasText(item[f]) ? normaliseIdentifier(item[f]) : '';
    if (hasText(item[f]) && key.length < 3)
      add(f, 'INVALID_IDENTIFIER', 'needs at least 3 letters or digits');
    if (key.length > 100) add(f, 'INVALID_IDENTIFIER', 'is longer than 100 letters and digits');
  }

  if (required) {
    const has = required.some((f) => hasText(item[f]));
    if (!has && !item.identifierAbsent) {
      add(
        required[0],
        'IDENTIFIER_REQUIRED',
        `a ${item.category} needs ${required.join(' or ')}; if it has none, say why in identifierAbsent (removed, unreadable, never_had)`,
      );
    }
    if (has && item.identifierAbsent)
      add(
        'identifierAbsent',
        'IDENTIFIER_CONTRADICTION',
        'the identifier is given, so it is not absent',
      );
  } else if (item.identifierAbsent) {
    add(
      'identifierAbsent',
      'IDENTIFIER_NOT_APPLICABLE',
      `a ${item.category} has no required identifier`,
    );
  }

  if (item.category === 'jewellery' || item.category === 'precious_metal') {
    if (!hasText(item.material))
      add('material', 'MATERIAL_REQUIRED', 'jewellery and precious metal need the material');
    if (item.weightGrams === undefined)
      add(
        'weightGrams',
        'WEIGHT_REQUIRED',
        'jewellery and precious metal need the weight in grams',
      );
    if (!hasText(item.description))
      add('description', 'DESCRIPTION_REQUIRED', 'jewellery and precious metal need a description');
  }
  if (item.category === 'other' && !hasText(item.description))
    add('description', 'DESCRIPTION_REQUIRED', 'describe the item');

  // R3: no lumping. More than one piece on a line only for scrap precious metal by weight.
  if ((item.quantity ?? 1) > 1 && (item.category !== 'precious_metal' || present.length > 0)) {
    add(
      'quantity',
      'LUMPING',
      'every item is its own line; quantity > 1 only for precious metal without identifiers (scrap by weight)',
    );
  }
  return p;
}

export interface AcquisitionShape {
  acquiredAt: string;
  acquisitionType: string;
  paymentMethod?: string | null;
  seller?: SellerDto;
  sellerId?: string;
  items: ItemDto[];
}

/** Every rule of R3–R6 that the request breaks (empty when it may be registered). */
export function acquisitionProblems(
  a: AcquisitionShape,
  settings: RuleSettings,
  now: Date,
): Problem[] {
  const problems = acquiredAtProblems(a.acquiredAt, now);
  if (a.acquisitionType === 'purchase' && !a.paymentMethod) {
    problems.push({
      path: 'paymentMethod',
      code: 'PAYMENT_METHOD_REQUIRED',
      message: 'paymentMethod is required for a purchase',
    });
  }
  if (Boolean(a.seller) === Boolean(a.sellerId)) {
    problems.push({
      path: 'seller',
      code: 'SELLER_REQUIRED',
      message: 'give either seller or sellerId (a returning seller), not both',
    });
  }
  if (a.seller) problems.push(...sellerProblems(a.seller, new Date(a.acquiredAt), settings));
  a.items.forEach((item, i) => problems.push(...itemProblems(item, `items[${i}]`)));
  return problems;
}
