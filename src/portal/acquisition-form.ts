import { amsterdamIso } from '../common/amsterdam-time';
import type { FieldProblem } from '../common/validation-failed';
import { CATEGORIES } from '../dealers/dealer.entity';
import type { ItemView } from '../acquisitions/acquisition.mapper';
import { isCalendarDate, REQUIRED_IDENTIFIER } from '../acquisitions/acquisition-rules';
import { ACQUISITION_TYPES, PAYMENT_METHODS } from '../acquisitions/acquisition.entity';
import { IDENTIFIER_ABSENT_REASONS } from '../acquisitions/item.entity';
import { ID_DOCUMENT_TYPES } from '../sellers/seller.entity';
import { DISPOSAL_KINDS } from '../disposals/disposal.entity';
import type { FormErrors } from './forms';
import {
  ACQUISITION_TYPE_LABELS,
  CATEGORY_SINGULAR,
  DISPOSAL_KIND_LABELS,
  ID_TYPE_LABELS,
  IDENTIFIER_ABSENT_LABELS,
  PAYMENT_LABELS,
} from './labels';

/**
 * The portal's acquisition, correction and disposal forms ↔ the API's DTOs. Pure functions: the
 * forms post flat strings (urlencoded, `item-0-imei`); the DTOs and the services keep every rule.
 */

// ---------------------------------------------------------------------------------------------
// Dutch numbers, money and Amsterdam local time

/**
 * An amount in euro as a Dutch person types it → cents: "250" → 25000, "250,5" → 25050,
 * "1.234,56" → 123456, "€ 12,-" → 1200; a lone dot with 1–2 decimals is a decimal point
 * ("250.00"). Null when it is not an amount.
 */
export function parseEuro(input: string): number | null {
  let s = input.replace(/\s|€|eur(o)?/gi, '').replace(/,-$/, '');
  if (!s) return null;
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s)) s = s.replace(/\./g, '');
  else if (/^\d+\.\d{1,2}$/.test(s)) s = s.replace('.', ',');
  else if (!/^\d+(,\d{1,2})?$/.test(s)) return null;
  const [euros, cents = ''] = s.split(',');
  const value = Number(euros) * 100 + Number(cents.padEnd(2, '0'));
  return Number.isSafeInteger(value) ? value : null;
}

/** Cents → "1.234,56" (no euro sign: for inputs and next to a "€"). */
export function formatEuro(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  const euros = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${euros},${String(abs % 100).padStart(2, '0')}`;
}

/**
 * A decimal number with a comma or a point: "3,2" → 3.2, "3.20" → 3.2 (a scale's display),
 * "1.234,5" → 1234.5 (thousands point only together with a decimal comma). Null otherwise.
 */
export function parseDecimal(input: string): number | null {
  let s = input.replace(/\s/g, '');
  if (/^\d{1,3}(\.\d{3})+,\d+$/.test(s)) s = s.replace(/\./g, '');
  if (!/^\d+([.,]\d+)?$/.test(s)) return null;
  return Number(s.replace(',', '.'));
}

/** 3.2 → "3,2". */
export function formatDecimal(n: number): string {
  return String(n).replace('.', ',');
}

const HOUR_MS = 3_600_000;

/** "2026-03-29", "29-03-2026", "29-3-2026" or "29/03/2026" → [y, m, d] of a real calendar date. */
export function parseLocalDate(input: string): [number, number, number] | null {
  const s = input.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (match) [y, m, d] = [+match[1], +match[2], +match[3]];
  else if ((match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s)))
    [d, m, y] = [+match[1], +match[2], +match[3]];
  else return null;
  return isCalendarDate(
    `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  )
    ? [y, m, d]
    : null;
}

/** A date as typed → "YYYY-MM-DD", or null. */
export function toIsoDate(input: string): string | null {
  const p = parseLocalDate(input);
  return p
    ? `${String(p[0]).padStart(4, '0')}-${String(p[1]).padStart(2, '0')}-${String(p[2]).padStart(2, '0')}`
    : null;
}

/** "14:30", "9.05" or "14:30:15" → [h, m, s], or null. */
export function parseLocalTime(input: string): [number, number, number] | null {
  const match = /^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$/.exec(input.trim());
  if (!match) return null;
  const [h, m, s] = [+match[1], +match[2], +(match[3] ?? 0)];
  return h < 24 && m < 60 && s < 60 ? [h, m, s] : null;
}

/** The wall-clock time in Amsterdam at an instant, as milliseconds "as if UTC". */
function amsterdamWallMs(epochMs: number): number {
  return Date.parse(`${amsterdamIso(new Date(epochMs)).slice(0, 19)}Z`);
}

/**
 * A date and time on a clock in Amsterdam → an ISO 8601 instant with Amsterdam's offset, e.g.
 * 2026-04-02 14:30 → "2026-04-02T14:30:00+02:00". When the clocks go back (25 Oct 2026 02:30
 * happens twice) the first is meant; a time that does not exist because the clocks went forward
 * (29 Mar 2026 02:30) moves forward with them: "2026-03-29T03:30:00+02:00". Null when unreadable.
 */
export function amsterdamLocalToIso(date: string, time: string): string | null {
  const d = parseLocalDate(date);
  const t = parseLocalTime(time);
  if (!d || !t) return null;
  const wall = Date.UTC(d[0], d[1] - 1, d[2], t[0], t[1], t[2]);
  // Amsterdam is UTC+1 in winter and UTC+2 in summer: try the earlier instant first.
  const instant =
    [wall - 2 * HOUR_MS, wall - HOUR_MS].find((ms) => amsterdamWallMs(ms) === wall) ??
    wall - HOUR_MS;
  return amsterdamIso(new Date(instant));
}

/** An instant → the date ("YYYY-MM-DD") and time ("HH:MM") on an Amsterdam clock, for date and time inputs. */
export function amsterdamLocalParts(instant: Date | string): { date: string; time: string } {
  const iso = amsterdamIso(typeof instant === 'string' ? new Date(instant) : instant);
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

// ---------------------------------------------------------------------------------------------
// The fields of the forms

export const ITEM_FORM_FIELDS = [
  'category',
  'brand',
  'model',
  'imei',
  'imei2',
  'serialNumber',
  'frameNumber',
  'vin',
  'identifierAbsent',
  'material',
  'fineness',
  'weight',
  'inscription',
  'stoneColour',
  'description',
  'colour',
  'price',
] as const;
export type ItemFormField = (typeof ITEM_FORM_FIELDS)[number];
export type ItemForm = Record<ItemFormField, string>;

export const SELLER_FORM_FIELDS = [
  'lastName',
  'firstNames',
  'dateOfBirth',
  'street',
  'houseNumber',
  'postalCode',
  'city',
  'country',
  'idType',
  'idNumber',
  'idCountry',
] as const;
export type SellerFormField = (typeof SELLER_FORM_FIELDS)[number];

export interface AcquisitionForm {
  sellerId: string;
  seller: Record<SellerFormField, string>;
  acquiredDate: string;
  acquiredTime: string;
  acquisitionType: string;
  paymentMethod: string;
  items: ItemForm[];
}

export const MAX_ITEMS = 100;

export function emptyItem(): ItemForm {
  return Object.fromEntries(ITEM_FORM_FIELDS.map((f) => [f, ''])) as ItemForm;
}

/** A new, empty registration form: acquired now, a purchase, one item, seller in the Netherlands. */
export function emptyAcquisitionForm(now: Date): AcquisitionForm {
  const { date, time } = amsterdamLocalParts(now);
  const seller = Object.fromEntries(SELLER_FORM_FIELDS.map((f) => [f, ''])) as Record<
    SellerFormField,
    string
  >;
  seller.country = 'NL';
  seller.idCountry = 'NL';
  return {
    sellerId: '',
    seller,
    acquiredDate: date,
    acquiredTime: time,
    acquisitionType: 'purchase',
    paymentMethod: '',
    items: [emptyItem()],
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The form fields of one item whose names start with `prefix` (e.g. "item-2-" or "c-"). */
export function readItem(body: Record<string, unknown>, prefix: string): ItemForm {
  return Object.fromEntries(
    ITEM_FORM_FIELDS.map((f) => [f, str(body[`${prefix}${f}`])]),
  ) as ItemForm;
}

/** The posted registration form, exactly as typed (items renumbered 0, 1, 2, … in their order). */
export function readAcquisitionForm(body: Record<string, unknown>): AcquisitionForm {
  const indices = new Set<number>();
  for (const key of Object.keys(body)) {
    const m = /^item-(\d{1,3})-/.exec(key);
    if (m) indices.add(Number(m[1]));
  }
  const items = [...indices]
    .sort((a, b) => a - b)
    .slice(0, MAX_ITEMS)
    .map((i) => readItem(body, `item-${i}-`));
  return {
    sellerId: str(body.sellerId),
    seller: Object.fromEntries(SELLER_FORM_FIELDS.map((f) => [f, str(body[f])])) as Record<
      SellerFormField,
      string
    >,
    acquiredDate: str(body.acquiredDate),
    acquiredTime: str(body.acquiredTime),
    acquisitionType: str(body.acquisitionType),
    paymentMethod: str(body.paymentMethod),
    items: items.length ? items : [emptyItem()],
  };
}

export type FormAction = { kind: 'register' } | { kind: 'add' } | { kind: 'remove'; index: number };

/** Which submit button was pressed: "Inkoop registreren", "Nog een artikel toevoegen" or "Verwijder artikel N". */
export function formAction(body: Record<string, unknown>): FormAction {
  const action = str(body.action);
  if (action === 'add') return { kind: 'add' };
  const remove = /^remove-(\d{1,3})$/.exec(action);
  if (remove) return { kind: 'remove', index: Number(remove[1]) };
  return { kind: 'register' };
}

const text = (v: string): string | undefined => (v.trim() ? v.trim() : undefined);

/** Price and weight: undefined when empty, NaN when unreadable (so that validation names the field). */
function money(v: string): number | undefined {
  if (!v.trim()) return undefined;
  return parseEuro(v) ?? NaN;
}
function grams(v: string): number | undefined {
  if (!v.trim()) return undefined;
  return parseDecimal(v) ?? NaN;
}

/** One item of the form → the API's ItemDto shape. */
export function itemToPlain(i: ItemForm): Record<string, unknown> {
  return {
    category: i.category,
    brand: text(i.brand),
    model: text(i.model),
    imei: text(i.imei),
    imei2: text(i.imei2),
    serialNumber: text(i.serialNumber),
    frameNumber: text(i.frameNumber),
    vin: text(i.vin),
    identifierAbsent: text(i.identifierAbsent),
    description: text(i.description),
    colour: text(i.colour),
    priceCents: money(i.price),
    material: text(i.material),
    fineness: text(i.fineness),
    weightGrams: grams(i.weight),
    inscription: text(i.inscription),
    stoneColour: text(i.stoneColour),
  };
}

/** The registration form → the plain body of POST /acquisitions (CreateAcquisitionDto). */
export function acquisitionToPlain(f: AcquisitionForm): Record<string, unknown> {
  const s = f.seller;
  return {
    acquiredAt: amsterdamLocalToIso(f.acquiredDate, f.acquiredTime) ?? '',
    acquisitionType: f.acquisitionType,
    paymentMethod: text(f.paymentMethod),
    ...(f.sellerId
      ? { sellerId: f.sellerId }
      : {
          seller: {
            lastName: s.lastName,
            firstNames: s.firstNames,
            dateOfBirth: toIsoDate(s.dateOfBirth) ?? s.dateOfBirth,
            address: {
              street: s.street,
              houseNumber: s.houseNumber,
              postalCode: s.postalCode,
              city: s.city,
              country: s.country || 'NL',
            },
            idDocument: { type: s.idType, number: s.idNumber, issuingCountry: s.idCountry || 'NL' },
          },
        }),
    items: f.items.map(itemToPlain),
  };
}

/** A stored line → the correction form, prefilled. */
export function itemFormOf(i: ItemView): ItemForm {
  const v = (x: string | null) => x ?? '';
  return {
    category: i.category,
    brand: v(i.brand),
    model: v(i.model),
    imei: v(i.imei),
    imei2: v(i.imei2),
    serialNumber: v(i.serialNumber),
    frameNumber: v(i.frameNumber),
    vin: v(i.vin),
    identifierAbsent: v(i.identifierAbsent),
    description: v(i.description),
    colour: v(i.colour),
    price: formatEuro(i.priceCents),
    material: v(i.material),
    fineness: v(i.fineness),
    weight: i.weightGrams === null ? '' : formatDecimal(i.weightGrams),
    inscription: v(i.inscription),
    stoneColour: v(i.stoneColour),
  };
}

export interface DisposalForm {
  disposedDate: string;
  disposedTime: string;
  kind: string;
  salePrice: string;
  buyerName: string;
  buyerCity: string;
}

export function emptyDisposalForm(now: Date): DisposalForm {
  const { date, time } = amsterdamLocalParts(now);
  return {
    disposedDate: date,
    disposedTime: time,
    kind: 'sale',
    salePrice: '',
    buyerName: '',
    buyerCity: '',
  };
}

export function readDisposalForm(body: Record<string, unknown>): DisposalForm {
  return {
    disposedDate: str(body.disposedDate),
    disposedTime: str(body.disposedTime),
    kind: str(body.kind),
    salePrice: str(body.salePrice),
    buyerName: str(body.buyerName),
    buyerCity: str(body.buyerCity),
  };
}

/** The disposal form → the plain body of POST /items/:id/disposal (DisposalDto). */
export function disposalToPlain(f: DisposalForm): Record<string, unknown> {
  const buyer =
    text(f.buyerName) || text(f.buyerCity)
      ? { name: f.buyerName, city: text(f.buyerCity) }
      : undefined;
  return {
    disposedAt: amsterdamLocalToIso(f.disposedDate, f.disposedTime) ?? '',
    kind: f.kind,
    priceCents: money(f.salePrice),
    buyer,
  };
}

// ---------------------------------------------------------------------------------------------
// Where a problem goes on the form, in Dutch

/** The form field id of an item field: "item-2-imei" on the registration form, "c-imei" on the correction form. */
export type ItemPrefix = (index: number) => string;
export const registrationItemPrefix: ItemPrefix = (i) => `item-${i}-`;

const ITEM_PATH_FIELD: Record<string, ItemFormField> = {
  priceCents: 'price',
  weightGrams: 'weight',
  quantity: 'category',
};
const PATH_FIELD: Record<string, string> = {
  'seller.lastName': 'lastName',
  'seller.firstNames': 'firstNames',
  'seller.dateOfBirth': 'dateOfBirth',
  'seller.address.street': 'street',
  'seller.address.houseNumber': 'houseNumber',
  'seller.address.postalCode': 'postalCode',
  'seller.address.city': 'city',
  'seller.address.country': 'country',
  'seller.idDocument.type': 'idType',
  'seller.idDocument.number': 'idNumber',
  'seller.idDocument.issuingCountry': 'idCountry',
  seller: 'sellerId',
  'seller.address': 'street',
  'seller.idDocument': 'idType',
  acquiredAt: 'acquiredDate',
  disposedAt: 'disposedDate',
  priceCents: 'salePrice',
  buyer: 'buyerName',
  'buyer.name': 'buyerName',
  'buyer.city': 'buyerCity',
};

export interface FieldRef {
  /** The form field id (the summary links to it). */
  field: string;
  /** The item's index when the field belongs to an item. */
  item?: number;
  /** The item field or other field name, for choosing the message. */
  name: string;
}

/**
 * A problem's path as the API reports it ("items[1].imei", "items.1.imei", "changes.items[0].vin",
 * "seller.address.postalCode", "acquiredAt") → the field on the form.
 */
export function fieldOfPath(
  path: string,
  itemPrefix: ItemPrefix = registrationItemPrefix,
): FieldRef {
  const p = path.replace(/^changes\./, '').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
  const item = /^items\[(\d+)\](?:\.(\w+))?/.exec(p);
  if (item) {
    const index = Number(item[1]);
    const raw = item[2] ?? 'category';
    const name: string =
      ITEM_PATH_FIELD[raw] ??
      ((ITEM_FORM_FIELDS as readonly string[]).includes(raw) ? raw : 'category');
    return { field: `${itemPrefix(index)}${name}`, item: index, name };
  }
  const name = PATH_FIELD[p] ?? p;
  return { field: name, name };
}

const IDENTIFIER_REQUIRED: Record<string, string> = {
  imei: 'Vul het IMEI-nummer in, of kies waarom het ontbreekt',
  serialNumber: 'Vul het serienummer in, of kies waarom het ontbreekt',
  frameNumber: 'Vul het framenummer in, of kies waarom het ontbreekt',
  vin: 'Vul het VIN in, of kies waarom het ontbreekt',
};

/** The Dutch message per problem code (the API's English message is for software). */
export function problemMessage(
  problem: FieldProblem,
  ref: FieldRef,
  settings: { minimumSellerAge?: number } = {},
): string {
  switch (problem.code) {
    case 'INVALID_IMEI':
      return 'Een IMEI heeft 15 cijfers met een geldig controlecijfer';
    case 'IMEI2_WITHOUT_IMEI':
      return 'Vul eerst het eerste IMEI-nummer in';
    case 'INVALID_VIN':
      return 'Een VIN heeft 17 letters en cijfers (geen I, O of Q)';
    case 'INVALID_IDENTIFIER':
      return 'Een nummer heeft minstens 3 letters of cijfers';
    case 'IDENTIFIER_REQUIRED':
      return ref.name === 'serialNumber' && /vin/.test(problem.message)
        ? 'Vul het serienummer of het VIN in, of kies waarom het ontbreekt'
        : (IDENTIFIER_REQUIRED[ref.name] ??
            'Vul het identificatienummer in, of kies waarom het ontbreekt');
    case 'IDENTIFIER_CONTRADICTION':
      return 'Het nummer is ingevuld: kies hier dan geen reden';
    case 'IDENTIFIER_NOT_APPLICABLE':
      return 'Voor deze categorie is geen nummer verplicht: kies hier geen reden';
    case 'MATERIAL_REQUIRED':
      return 'Vul het materiaal in, bijvoorbeeld goud of zilver';
    case 'WEIGHT_REQUIRED':
      return 'Vul het gewicht in gram in, bijvoorbeeld 3,2';
    case 'DESCRIPTION_REQUIRED':
      return 'Beschrijf het artikel, bijvoorbeeld: gouden ring met witte steen';
    case 'LUMPING':
      return 'Elk artikel krijgt een eigen regel: registreer de artikelen apart';
    case 'ACQUIRED_IN_FUTURE':
      return 'De datum en tijd van inkoop liggen in de toekomst';
    case 'DISPOSED_IN_FUTURE':
      return 'De datum en tijd liggen in de toekomst';
    case 'DISPOSED_BEFORE_ACQUIRED':
      return 'Deze datum ligt vóór de inkoop van het artikel';
    case 'INVALID_DATE':
      return ref.name === 'dateOfBirth'
        ? 'Vul een geldige geboortedatum in, bijvoorbeeld 17-05-1980'
        : 'Vul een geldige datum en tijd in';
    case 'PAYMENT_METHOD_REQUIRED':
      return 'Kies hoe u heeft betaald';
    case 'SELLER_REQUIRED':
      return 'Kies een verkoper die eerder bij u verkocht, of vul de gegevens van een nieuwe verkoper in';
    case 'UNKNOWN_SELLER':
      return 'Kies een verkoper uit de lijst';
    case 'SELLER_UNDER_AGE':
      return settings.minimumSellerAge
        ? `De verkoper is jonger dan ${settings.minimumSellerAge} jaar. Van deze verkoper mag u niet inkopen.`
        : 'De verkoper is te jong. Van deze verkoper mag u niet inkopen.';
    case 'BSN_NOT_ALLOWED':
      return 'Dit lijkt een burgerservicenummer (BSN). Vul het documentnummer in, nooit het BSN';
    case 'INVALID_DOCUMENT_NUMBER':
      return 'Een documentnummer heeft minstens 4 letters of cijfers';
    case 'INVALID_POSTAL_CODE':
      return 'Vul een Nederlandse postcode in, bijvoorbeeld 9501 AB';
    case 'PRICE_REQUIRED':
      return 'Vul de verkoopprijs in, bijvoorbeeld 320,00';
    case 'BUYER_REQUIRED':
      return 'Vul bij een verkoop de naam en de plaats van de koper in';
    case 'UNKNOWN_ITEM':
      return 'Dit artikel hoort niet bij deze inkoop';
    default:
      return FIELD_MESSAGES[ref.name] ?? 'Controleer dit veld';
  }
}

/** What is wrong with a field that fails the DTO's own validation (empty, too long, not a number). */
export const FIELD_MESSAGES: Record<string, string> = {
  lastName: 'Vul de achternaam in',
  firstNames: 'Vul de voornamen of voorletters in',
  dateOfBirth: 'Vul de geboortedatum in, bijvoorbeeld 17-05-1980',
  street: 'Vul de straat in',
  houseNumber: 'Vul het huisnummer in',
  postalCode: 'Vul de postcode in',
  city: 'Vul de plaats in',
  country: 'Vul een landcode van 2 letters in, bijvoorbeeld NL of DE',
  idType: 'Kies de soort legitimatie',
  idNumber: 'Vul het documentnummer in (4 tot 30 tekens)',
  idCountry: 'Vul een landcode van 2 letters in, bijvoorbeeld NL of DE',
  sellerId: 'Kies een verkoper uit de lijst',
  acquiredDate: 'Vul een geldige datum en tijd van inkoop in',
  acquisitionType: 'Kies de soort inkoop',
  paymentMethod: 'Kies de betaalwijze',
  category: 'Kies de categorie',
  brand: 'Het merk is te lang (hoogstens 100 tekens)',
  model: 'Het model is te lang (hoogstens 100 tekens)',
  imei: 'Een IMEI heeft 15 cijfers met een geldig controlecijfer',
  imei2: 'Een IMEI heeft 15 cijfers met een geldig controlecijfer',
  serialNumber: 'Het serienummer is te lang (hoogstens 100 tekens)',
  frameNumber: 'Het framenummer is te lang (hoogstens 100 tekens)',
  vin: 'Een VIN heeft 17 letters en cijfers (geen I, O of Q)',
  identifierAbsent: 'Kies een reden uit de lijst',
  description: 'De omschrijving is te lang (hoogstens 1000 tekens)',
  colour: 'De kleur is te lang (hoogstens 50 tekens)',
  price: 'Vul de prijs in euro in, bijvoorbeeld 250,00',
  material: 'Het materiaal is te lang (hoogstens 50 tekens)',
  fineness: 'Het gehalte is te lang (hoogstens 20 tekens)',
  weight: 'Vul het gewicht in gram in, bijvoorbeeld 3,2',
  inscription: 'De inscriptie is te lang (hoogstens 200 tekens)',
  stoneColour: 'De kleur van de steen is te lang (hoogstens 50 tekens)',
  disposedDate: 'Vul een geldige datum en tijd in',
  kind: 'Kies wat er met het artikel is gebeurd',
  salePrice: 'Vul de prijs in euro in, bijvoorbeeld 320,00',
  buyerName: 'Vul de naam van de koper in',
  buyerCity: 'Vul de plaats van de koper in',
  reason: 'Geef een reden van minstens 3 tekens',
  'c-reason': 'Geef een reden van minstens 3 tekens, bijvoorbeeld: nummer verkeerd overgetypt',
  'v-reason': 'Geef een reden van minstens 3 tekens, bijvoorbeeld: dubbel ingevoerd',
  period: 'Vul een datum in, bijvoorbeeld 31-12-2026',
};

/**
 * Problems (from class-validator paths or the service's ValidationFailed) → errors per field and a
 * summary in which an item's errors say which item ("Artikel 2: …").
 */
export function problemsToForm(
  problems: FieldProblem[],
  opts: {
    itemPrefix?: ItemPrefix;
    itemLabel?: (index: number) => string;
    minimumSellerAge?: number;
  } = {},
): FormErrors {
  const out: FormErrors = { errors: [], fieldErrors: {} };
  for (const p of problems) {
    const ref = fieldOfPath(p.path, opts.itemPrefix);
    if (out.fieldErrors[ref.field]) continue;
    const message = problemMessage(p, ref, opts);
    out.fieldErrors[ref.field] = message;
    const label = ref.item !== undefined && opts.itemLabel ? `${opts.itemLabel(ref.item)}: ` : '';
    out.errors.push({ field: ref.field, message: `${label}${message}` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// What the templates render: one descriptor per field

export interface Option {
  value: string;
  label: string;
  selected: boolean;
}

export interface FieldView {
  id: string;
  name: string;
  label: string;
  value: string;
  hint?: string;
  error?: string;
  options?: Option[];
  textarea?: boolean;
  type?: string;
  inputmode?: string;
  autocomplete?: string;
  /** Narrow input (characters). */
  width?: 'xs' | 's' | 'm';
  /** Spans the whole row of the grid. */
  wide?: boolean;
  /** The categories for which the field matters (the script hides it for others); absent = always. */
  categories?: string;
  /** An aria-live region for the script's IMEI check. */
  live?: boolean;
  autofocus?: boolean;
  required?: boolean;
}

export function options(
  values: readonly string[],
  labels: Record<string, string>,
  selected: string,
  empty?: string,
): Option[] {
  return [
    ...(empty !== undefined ? [{ value: '', label: empty, selected: selected === '' }] : []),
    ...values.map((v) => ({ value: v, label: labels[v] ?? v, selected: v === selected })),
  ];
}

const SERIAL_CATEGORIES = Object.entries(REQUIRED_IDENTIFIER)
  .filter(([, ids]) => ids?.includes('serialNumber'))
  .map(([c]) => c);
const IDENTIFIER_CATEGORIES = Object.keys(REQUIRED_IDENTIFIER);
const GOLD = 'jewellery precious_metal';

export interface ItemFieldGroups {
  general: FieldView[];
  /** R5: the identifiers and why one is missing. */
  identifiers: FieldView[];
  identifierCategories: string;
  /** Jewellery and precious metal. */
  gold: FieldView[];
  goldCategories: string;
  rest: FieldView[];
}

/** The fields of one item in groups, in the order a dealer fills them in at the counter. */
export function itemFieldViews(
  prefix: string,
  v: ItemForm,
  errors: Record<string, string>,
  autofocus = false,
): ItemFieldGroups {
  const f = (
    name: ItemFormField,
    rest: Omit<FieldView, 'id' | 'name' | 'value' | 'error'>,
  ): FieldView => ({
    id: `${prefix}${name}`,
    name: `${prefix}${name}`,
    value: v[name],
    error: errors[`${prefix}${name}`],
    ...rest,
  });
  return {
    general: [
      f('category', {
        label: 'Categorie',
        options: options(CATEGORIES, CATEGORY_SINGULAR, v.category, 'Kies een categorie'),
        autofocus,
        required: true,
      }),
      f('brand', { label: 'Merk', autocomplete: 'off' }),
      f('model', { label: 'Model of type', autocomplete: 'off' }),
      f('colour', { label: 'Kleur', autocomplete: 'off' }),
    ],
    identifiers: [
      f('imei', {
        label: 'IMEI',
        hint: 'Telefoons. 15 cijfers, toets *#06#',
        inputmode: 'numeric',
        autocomplete: 'off',
        categories: 'phone',
        live: true,
      }),
      f('imei2', {
        label: 'IMEI 2',
        hint: 'Telefoon met twee simkaarten',
        inputmode: 'numeric',
        autocomplete: 'off',
        categories: 'phone',
        live: true,
      }),
      f('serialNumber', {
        label: 'Serienummer',
        hint: 'Laptops, tablets, computers, camera’s, audio/video, spelcomputers, gereedschap, horloges; accu van een e-bike',
        autocomplete: 'off',
        categories: [...SERIAL_CATEGORIES, 'ebike'].join(' '),
      }),
      f('frameNumber', {
        label: 'Framenummer',
        hint: 'Fietsen en e-bikes',
        autocomplete: 'off',
        categories: 'bicycle ebike',
      }),
      f('vin', {
        label: 'VIN (chassisnummer)',
        hint: 'Voertuigonderdelen: VIN of serienummer. 17 tekens',
        autocomplete: 'off',
        categories: 'vehicle_part',
      }),
      f('identifierAbsent', {
        label: 'Reden ontbrekend identificatienummer',
        hint: 'Alleen als het verplichte nummer ontbreekt. Bij verwijderd of onleesbaar krijgt de politie een melding.',
        options: options(
          IDENTIFIER_ABSENT_REASONS,
          IDENTIFIER_ABSENT_LABELS,
          v.identifierAbsent,
          'Niet van toepassing',
        ),
        categories: IDENTIFIER_CATEGORIES.join(' '),
        wide: true,
      }),
    ],
    identifierCategories: IDENTIFIER_CATEGORIES.join(' '),
    gold: [
      f('material', { label: 'Materiaal', hint: 'Verplicht, bijvoorbeeld goud', categories: GOLD }),
      f('fineness', {
        label: 'Gehalte',
        hint: 'Bijvoorbeeld 585 of 14K',
        categories: GOLD,
        width: 's',
      }),
      f('weight', {
        label: 'Gewicht in gram',
        hint: 'Verplicht, bijvoorbeeld 3,2',
        inputmode: 'decimal',
        categories: GOLD,
        width: 's',
      }),
      f('inscription', {
        label: 'Inscriptie',
        hint: 'Gravure of tekst, als die er is',
        categories: GOLD,
      }),
      f('stoneColour', { label: 'Kleur steen', hint: 'Als er een steen in zit', categories: GOLD }),
    ],
    goldCategories: GOLD,
    rest: [
      f('description', {
        label: 'Omschrijving',
        hint: 'Verplicht voor sieraden, edelmetaal en overig. Bijvoorbeeld: zwart, barst in hoek',
        textarea: true,
        wide: true,
      }),
      f('price', {
        label: 'Prijs in euro',
        hint: 'Wat u betaalde, bijv. 250,00',
        inputmode: 'decimal',
        width: 's',
        required: true,
      }),
    ],
  };
}

export function sellerFieldViews(
  v: Record<SellerFormField, string>,
  errors: Record<string, string>,
): { person: FieldView[]; address: FieldView[]; document: FieldView[] } {
  const f = (
    name: SellerFormField,
    rest: Omit<FieldView, 'id' | 'name' | 'value' | 'error'>,
  ): FieldView => ({
    id: name,
    name,
    value: v[name],
    error: errors[name],
    ...rest,
  });
  return {
    person: [
      f('lastName', {
        label: 'Achternaam',
        hint: 'Met tussenvoegsel, bijvoorbeeld de Vries',
        autocomplete: 'off',
        required: true,
      }),
      f('firstNames', { label: 'Voornamen of voorletters', autocomplete: 'off', required: true }),
      f('dateOfBirth', {
        label: 'Geboortedatum',
        hint: 'Dag-maand-jaar, bijvoorbeeld 17-05-1980',
        autocomplete: 'off',
        width: 'm',
        required: true,
      }),
    ],
    address: [
      f('street', { label: 'Straat', autocomplete: 'off', required: true }),
      f('houseNumber', {
        label: 'Huisnummer en toevoeging',
        autocomplete: 'off',
        width: 's',
        required: true,
      }),
      f('postalCode', {
        label: 'Postcode',
        hint: 'Bijvoorbeeld 9501 AB',
        autocomplete: 'off',
        width: 's',
        required: true,
      }),
      f('city', { label: 'Plaats', autocomplete: 'off', required: true }),
      f('country', {
        label: 'Land',
        hint: 'Landcode, bijvoorbeeld NL, DE of BE',
        autocomplete: 'off',
        width: 'xs',
        required: true,
      }),
    ],
    document: [
      f('idType', {
        label: 'Soort legitimatie',
        options: options(ID_DOCUMENT_TYPES, ID_TYPE_LABELS, v.idType, 'Kies de soort legitimatie'),
        required: true,
      }),
      f('idNumber', {
        label: 'Documentnummer',
        hint: 'Het nummer van het document, nooit het BSN',
        autocomplete: 'off',
        width: 'm',
        required: true,
      }),
      f('idCountry', {
        label: 'Land van afgifte',
        hint: 'Landcode, bijvoorbeeld NL',
        autocomplete: 'off',
        width: 'xs',
        required: true,
      }),
    ],
  };
}

export function acquisitionFieldViews(
  f: AcquisitionForm,
  errors: Record<string, string>,
): FieldView[] {
  return [
    {
      id: 'acquiredDate',
      name: 'acquiredDate',
      label: 'Datum van inkoop',
      type: 'date',
      value: f.acquiredDate,
      error: errors.acquiredDate,
      width: 'm',
      required: true,
    },
    {
      id: 'acquiredTime',
      name: 'acquiredTime',
      label: 'Tijd',
      type: 'time',
      value: f.acquiredTime,
      error: errors.acquiredTime,
      width: 's',
      required: true,
    },
    {
      id: 'acquisitionType',
      name: 'acquisitionType',
      label: 'Soort inkoop',
      value: f.acquisitionType,
      error: errors.acquisitionType,
      options: options(ACQUISITION_TYPES, ACQUISITION_TYPE_LABELS, f.acquisitionType),
      required: true,
    },
    {
      id: 'paymentMethod',
      name: 'paymentMethod',
      label: 'Betaalwijze',
      hint: 'Verplicht bij een aankoop',
      value: f.paymentMethod,
      error: errors.paymentMethod,
      options: options(PAYMENT_METHODS, PAYMENT_LABELS, f.paymentMethod, 'Kies de betaalwijze'),
    },
  ];
}

export function disposalFieldViews(
  f: DisposalForm,
  errors: Record<string, string>,
): { when: FieldView[]; kind: Option[]; sale: FieldView[] } {
  return {
    when: [
      {
        id: 'disposedDate',
        name: 'disposedDate',
        label: 'Datum',
        type: 'date',
        value: f.disposedDate,
        error: errors.disposedDate,
        width: 'm',
        required: true,
      },
      {
        id: 'disposedTime',
        name: 'disposedTime',
        label: 'Tijd',
        type: 'time',
        value: f.disposedTime,
        error: errors.disposedTime,
        width: 's',
        required: true,
      },
    ],
    kind: options(
      DISPOSAL_KINDS,
      {
        ...DISPOSAL_KIND_LABELS,
        sale: 'Verkocht',
        returned_to_seller: 'Teruggegeven aan de verkoper',
      },
      f.kind,
    ),
    sale: [
      {
        id: 'salePrice',
        name: 'salePrice',
        label: 'Verkoopprijs in euro',
        hint: 'Bijvoorbeeld 320,00',
        inputmode: 'decimal',
        value: f.salePrice,
        error: errors.salePrice,
        width: 's',
      },
      {
        id: 'buyerName',
        name: 'buyerName',
        label: 'Naam koper',
        autocomplete: 'off',
        value: f.buyerName,
        error: errors.buyerName,
      },
      {
        id: 'buyerCity',
        name: 'buyerCity',
        label: 'Woonplaats koper',
        autocomplete: 'off',
        value: f.buyerCity,
        error: errors.buyerCity,
      },
    ],
  };
}
