import type { AcquisitionView, ItemView, VersionView } from '../acquisitions/acquisition.mapper';
import type { Category } from '../dealers/dealer.entity';
import type { ImportError } from '../imports/import-job.entity';
import { formatDecimal, formatEuro } from './acquisition-form';
import {
  ACQUISITION_TYPE_LABELS,
  CATEGORY_SINGULAR,
  DISPOSAL_KIND_LABELS,
  formatDayDateTime,
  formatIsoDate,
  formatShortDateTime,
  ID_TYPE_LABELS,
  IDENTIFIER_ABSENT_LABELS,
  PAYMENT_LABELS,
  violationLabel,
} from './labels';

/** View models of register lines for the dealer's screens: every label in Dutch, every time in Amsterdam. */

export type Line = ItemView & { acquiredAt: string; late: boolean };

const label = <T extends string>(
  labels: Record<T, string>,
  v: string | null | undefined,
): string => (v ? (labels[v as T] ?? v) : '');

/** The identifier(s) a line is known by, or why it has none. */
export function identification(i: ItemView): string {
  const ids = [
    i.imei && `IMEI ${i.imei}`,
    i.imei2 && `IMEI 2 ${i.imei2}`,
    i.frameNumber && `Frame ${i.frameNumber}`,
    i.serialNumber && `Serie ${i.serialNumber}`,
    i.vin && `VIN ${i.vin}`,
  ].filter(Boolean);
  if (ids.length) return ids.join(' · ');
  if (i.identifierAbsent)
    return `Geen nummer: ${label(IDENTIFIER_ABSENT_LABELS, i.identifierAbsent).toLowerCase()}`;
  return '';
}

export function brandModel(i: ItemView): string {
  const name = [i.brand, i.model].filter(Boolean).join(' ');
  if (name) return name;
  if (i.category === 'jewellery' || i.category === 'precious_metal')
    return [i.material, i.fineness].filter(Boolean).join(' ');
  return i.description ?? '';
}

export function euro(cents: number | null | undefined): string {
  return cents === null || cents === undefined ? '' : `€ ${formatEuro(cents)}`;
}

/** The status as the dealer must read it; `tone` picks the badge colour. */
export function lineStatus(
  i: ItemView,
  now: Date,
): { label: string; tone: 'ok' | 'wait' | 'stop' | 'done' | 'void' } {
  if (i.hold) return { label: i.hold.label, tone: 'stop' };
  switch (i.status) {
    case 'voided':
      return { label: 'Ongeldig', tone: 'void' };
    case 'disposed':
      return { label: label(DISPOSAL_KIND_LABELS, i.disposal?.kind) || 'Afgevoerd', tone: 'done' };
    case 'on_hold':
    case 'in_stock':
      return new Date(i.sellableFrom) > now
        ? { label: 'In bewaartermijn', tone: 'wait' }
        : { label: 'In voorraad', tone: 'ok' };
  }
}

/** One row of the register table. */
export function lineRow(i: Line, now: Date) {
  return {
    id: i.id,
    registerNumber: i.registerNumber,
    acquiredAt: formatShortDateTime(i.acquiredAt),
    category: label(CATEGORY_SINGULAR, i.category),
    brandModel: brandModel(i),
    identification: identification(i),
    price: euro(i.priceCents),
    sellableFrom: formatDayDateTime(i.sellableFrom),
    inHoldingPeriod: i.status !== 'voided' && !i.disposal && new Date(i.sellableFrom) > now,
    status: lineStatus(i, now),
    violations: (i.disposal?.violations ?? []).map((v) => violationLabel(v, i.disposal!.kind)),
    late: i.late,
    incomplete: i.identifierAbsent !== null,
  };
}

/** The facts of a line, in the order the detail page lists them. */
export function itemFacts(i: ItemView): { term: string; value: string }[] {
  const facts: [string, string | null][] = [
    ['Categorie', label(CATEGORY_SINGULAR, i.category)],
    ['Merk', i.brand],
    ['Model of type', i.model],
    ['IMEI', i.imei],
    ['IMEI 2', i.imei2],
    ['Serienummer', i.serialNumber],
    ['Framenummer', i.frameNumber],
    ['VIN', i.vin],
    [
      'Identificatienummer ontbreekt',
      i.identifierAbsent ? label(IDENTIFIER_ABSENT_LABELS, i.identifierAbsent) : null,
    ],
    ['Omschrijving', i.description],
    ['Kleur', i.colour],
    ['Materiaal', i.material],
    ['Gehalte', i.fineness],
    ['Gewicht', i.weightGrams === null ? null : `${formatDecimal(i.weightGrams)} gram`],
    ['Inscriptie', i.inscription],
    ['Kleur steen', i.stoneColour],
    ['Aantal', i.quantity > 1 ? String(i.quantity) : null],
    ['Inkoopprijs', euro(i.priceCents)],
  ];
  return facts.filter(([, v]) => v).map(([term, value]) => ({ term, value: value! }));
}

export function acquisitionFacts(a: AcquisitionView): { term: string; value: string }[] {
  const facts: [string, string | null][] = [
    ['Datum en tijd van inkoop', formatShortDateTime(a.acquiredAt)],
    ['Geregistreerd', formatShortDateTime(a.registeredAt)],
    ['Laat geregistreerd', a.late ? 'Ja — later dan de registratietermijn van de gemeente' : 'Nee'],
    ['Soort inkoop', label(ACQUISITION_TYPE_LABELS, a.acquisitionType)],
    ['Betaalwijze', label(PAYMENT_LABELS, a.paymentMethod) || null],
    ['Externe referentie', a.externalRef],
  ];
  return facts.filter(([, v]) => v).map(([term, value]) => ({ term, value: value! }));
}

export function sellerFacts(a: AcquisitionView): { term: string; value: string }[] {
  const s = a.seller;
  if (!s) return [];
  if (s.erased) return [{ term: 'Verkoper', value: 'Gegevens verwijderd na de bewaartermijn' }];
  const address = s.address.street
    ? `${s.address.street} ${s.address.houseNumber ?? ''}, ${s.address.postalCode ?? ''} ${s.address.city ?? ''}${s.address.country && s.address.country !== 'NL' ? ` (${s.address.country})` : ''}`
    : '';
  const doc = s.idDocument.type
    ? `${label(ID_TYPE_LABELS, s.idDocument.type)}${s.idDocument.issuingCountry ? ` (${s.idDocument.issuingCountry})` : ''}, nummer eindigt op ${s.idDocument.numberLast4 ?? '?'}`
    : '';
  return [
    { term: 'Naam', value: [s.firstNames, s.lastName].filter(Boolean).join(' ') },
    { term: 'Geboortedatum', value: formatIsoDate(s.dateOfBirth) },
    { term: 'Adres', value: address.replace(/\s+/g, ' ').trim() },
    { term: 'Legitimatie', value: doc },
  ].filter((f) => f.value);
}

/** A returning seller in the select: enough to recognise the person, never the whole document number. */
export function returningSellerLabel(s: {
  lastName: string | null;
  firstNames: string | null;
  dateOfBirth: string | null;
  idDocument: { type: string | null; numberLast4: string | null };
}): string {
  return [
    [s.lastName, s.firstNames].filter(Boolean).join(', '),
    s.dateOfBirth ? `geboren ${formatIsoDate(s.dateOfBirth)}` : '',
    s.idDocument.type
      ? `${label(ID_TYPE_LABELS, s.idDocument.type)} …${s.idDocument.numberLast4 ?? ''}`
      : '',
  ]
    .filter(Boolean)
    .join(' — ');
}

const FIELD_NAMES: Record<string, string> = {
  category: 'categorie',
  brand: 'merk',
  model: 'model',
  imei: 'IMEI',
  imei2: 'IMEI 2',
  serialNumber: 'serienummer',
  frameNumber: 'framenummer',
  vin: 'VIN',
  identifierAbsent: 'reden ontbrekend nummer',
  description: 'omschrijving',
  colour: 'kleur',
  priceCents: 'prijs',
  quantity: 'aantal',
  material: 'materiaal',
  fineness: 'gehalte',
  weightMilligrams: 'gewicht',
  inscription: 'inscriptie',
  stoneColour: 'kleur steen',
  acquiredAt: 'datum van inkoop',
  acquisitionType: 'soort inkoop',
  paymentMethod: 'betaalwijze',
};

interface Snapshot {
  acquiredAt?: string;
  acquisitionType?: string;
  paymentMethod?: string | null;
  seller?: { id?: string };
  items?: ({ id: string; registerNumber: number } & Record<string, unknown>)[];
}

function shown(field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '(leeg)';
  switch (field) {
    case 'priceCents':
      return euro(v as number);
    case 'weightMilligrams':
      return `${formatDecimal((v as number) / 1000)} g`;
    case 'category':
      return label(CATEGORY_SINGULAR, v as Category);
    case 'identifierAbsent':
      return label(IDENTIFIER_ABSENT_LABELS, v as string);
    case 'acquiredAt':
      return formatShortDateTime(v as string);
    case 'acquisitionType':
      return label(ACQUISITION_TYPE_LABELS, v as string);
    case 'paymentMethod':
      return label(PAYMENT_LABELS, v as string);
    default:
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : JSON.stringify(v);
  }
}

/** What changed from one version to the next, read from the two snapshots (R10). */
export function versionChanges(prev: Snapshot | undefined, next: Snapshot): string[] {
  if (!prev) return ['Geregistreerd'];
  const out: string[] = [];
  for (const f of ['acquiredAt', 'acquisitionType', 'paymentMethod'] as const) {
    if (String(prev[f] ?? '') !== String(next[f] ?? ''))
      out.push(`${cap(FIELD_NAMES[f])}: ${shown(f, prev[f])} → ${shown(f, next[f])}`);
  }
  if (prev.seller?.id !== next.seller?.id) out.push('Verkoper: andere gegevens');
  const before = new Map((prev.items ?? []).map((i) => [i.id, i]));
  for (const item of next.items ?? []) {
    const old = before.get(item.id);
    if (!old) continue;
    for (const [k, v] of Object.entries(item)) {
      if (k === 'id' || k === 'registerNumber' || !(k in FIELD_NAMES)) continue;
      if (JSON.stringify(old[k] ?? null) !== JSON.stringify(v ?? null)) {
        out.push(
          `Nr. ${item.registerNumber}, ${FIELD_NAMES[k]}: ${shown(k, old[k])} → ${shown(k, v)}`,
        );
      }
    }
    if (String(old.sellableFrom) !== String(item.sellableFrom)) {
      out.push(
        `Nr. ${item.registerNumber}, verkoopbaar vanaf: ${formatDayDateTime(String(old.sellableFrom))} → ${formatDayDateTime(String(item.sellableFrom))}`,
      );
    }
  }
  return out.length ? out : ['Geen zichtbare wijziging'];
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function versionRows(versions: VersionView[]) {
  return versions.map((v, n) => ({
    version: v.version,
    createdAt: formatShortDateTime(v.createdAt),
    createdBy: v.createdBy,
    reason: v.reason ?? '',
    changes: versionChanges(
      n > 0 ? (versions[n - 1].snapshot as Snapshot) : undefined,
      v.snapshot as Snapshot,
    ),
  }));
}

// ---------------------------------------------------------------------------------------------
// Import errors: the service reports them in English for software; the dealer reads Dutch.

const IMPORT_MESSAGES: [RegExp, string | ((m: RegExpExecArray) => string)][] = [
  [/an IMEI has 15 digits/i, 'Een IMEI heeft 15 cijfers met een geldig controlecijfer'],
  [/give the first IMEI/i, 'Vul eerst het eerste IMEI-nummer in'],
  [/a VIN has 17/i, 'Een VIN heeft 17 letters en cijfers (geen I, O of Q)'],
  [/needs at least 3 letters or digits/i, 'Een nummer heeft minstens 3 letters of cijfers'],
  [
    /a (\w+) needs ([\w ]+?); if it has none/i,
    'Het verplichte identificatienummer ontbreekt; vul het in of geef in identifierAbsent de reden (removed, unreadable, never_had)',
  ],
  [
    /the identifier is given, so it is not absent/i,
    'Het nummer is ingevuld: laat identifierAbsent leeg',
  ],
  [
    /has no required identifier/i,
    'Deze categorie heeft geen verplicht nummer: laat identifierAbsent leeg',
  ],
  [/need the material/i, 'Sieraden en edelmetaal: vul het materiaal in'],
  [/need the weight/i, 'Sieraden en edelmetaal: vul het gewicht in gram in'],
  [/need a description|describe the item/i, 'Vul een omschrijving in'],
  [/every item is its own line/i, 'Elk artikel krijgt een eigen regel'],
  [/lies in the future/i, 'De datum en tijd liggen in de toekomst'],
  [
    /is not a valid date|is not a plausible date|before the year 2000|must be a date/i,
    'Geen geldige datum',
  ],
  [/ISO 8601/i, 'Geen geldige datum en tijd; gebruik bijvoorbeeld 2026-04-02T14:30:00+02:00'],
  [/paymentMethod is required/i, 'Bij een aankoop is de betaalwijze verplicht'],
  [/give either seller or sellerId/i, 'De gegevens van de verkoper ontbreken'],
  [
    /The seller is (\d+); this municipality buys only from sellers of (\d+)/i,
    (m) => `De verkoper is ${m[1]} jaar; de gemeente staat inkoop pas vanaf ${m[2]} jaar toe`,
  ],
  [/looks like a BSN/i, 'Dit lijkt een BSN; vul het documentnummer in, nooit het BSN'],
  [/needs at least 4 letters or digits/i, 'Een documentnummer heeft minstens 4 letters of cijfers'],
  [/Dutch postal code/i, 'Geen geldige Nederlandse postcode, bijvoorbeeld 9501 AB'],
  [/ISO 3166-1/i, 'Geen geldige landcode; gebruik 2 letters, bijvoorbeeld NL'],
  [
    /externalRef (.+) was already used/i,
    (m) => `De referentie ${m[1]} is al gebruikt voor een andere inkoop`,
  ],
  [
    /differs from line (\d+) of the same externalRef/i,
    (m) => `Verschilt van regel ${m[1]} met dezelfde externalRef`,
  ],
  [/Unknown column "(.+)"/i, (m) => `Onbekende kolom "${m[1]}"`],
  [/The header has no column "(.+)"/i, (m) => `De kopregel mist de kolom "${m[1]}"`],
  [/The file has no rows/i, 'Het bestand bevat geen regels'],
  [/The file is not valid CSV/i, 'Het bestand is geen geldig CSV-bestand'],
  [/must be one of the following values|must be one of/i, 'Geen toegestane waarde'],
  [/must be an integer|must be a number/i, 'Geen geldig getal (bedragen in centen, zonder komma)'],
  [
    /must not be less than|must not be greater than/i,
    'Het getal valt buiten de toegestane grenzen',
  ],
  [/should not be empty|must be longer than or equal|must be a string/i, 'Dit veld is verplicht'],
  [/must be shorter than or equal/i, 'Te lang'],
  [
    /The dealer is not approved yet/i,
    'Uw bedrijf is nog niet goedgekeurd door de gemeente; er is niets geïmporteerd',
  ],
  [
    /The dealer is (\w+)/i,
    'Uw bedrijf mag op dit moment geen inkopen registreren; er is niets geïmporteerd',
  ],
  [
    /the reports stored so far stay/i,
    'De import kon niet worden afgerond; de aangiften die al waren opgeslagen blijven staan. Upload het bestand opnieuw voor de rest.',
  ],
  [
    /could not be completed/i,
    'De import kon niet worden afgerond; er is niets geïmporteerd. Probeer het opnieuw.',
  ],
  [/not a valid JSON array/i, 'Het bestand is geen geldige JSON-lijst'],
  [/must be an array of report objects/i, 'De JSON moet een lijst van aangiften zijn'],
  [/holds no reports/i, 'Het bestand bevat geen aangiften'],
  [
    /At most (\d+) reports per upload; this file holds (\d+)/i,
    (m) => `Hoogstens ${m[1]} aangiften per bestand; dit bestand bevat er ${m[2]}`,
  ],
  [/identifier must hold at least 4/i, 'Een nummer heeft minstens 4 letters of cijfers'],
  [/stolenAt is not a date/i, 'Geen geldige datum'],
  [/stolenAt lies in the future/i, 'De datum ligt in de toekomst'],
  [/property (\w+) should not exist/i, (m) => `Onbekend veld "${m[1]}"`],
  [/no longer active/i, 'Het account dat dit bestand uploadde is niet meer actief'],
];

/** An import error in Dutch where the message is known; the original otherwise. */
export function importErrorRow(e: ImportError): {
  line: number | string;
  field: string;
  message: string;
} {
  const message = e.message.replace(/^items\[\d+\]\.\w+: /, '');
  for (const [re, nl] of IMPORT_MESSAGES) {
    const m = re.exec(message);
    if (m)
      return {
        line: e.line || '—',
        field: e.field || '—',
        message: typeof nl === 'string' ? nl : nl(m),
      };
  }
  return { line: e.line || '—', field: e.field || '—', message };
}
