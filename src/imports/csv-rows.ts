import { parseCsvInSlices } from '../common/event-loop';
import type { ImportError } from './import-job.entity';

/** The columns of API.md "CSV import format". */
export const CSV_COLUMNS = [
  'externalRef',
  'acquiredAt',
  'acquisitionType',
  'paymentMethod',
  'sellerLastName',
  'sellerFirstNames',
  'sellerDateOfBirth',
  'sellerStreet',
  'sellerHouseNumber',
  'sellerPostalCode',
  'sellerCity',
  'sellerCountry',
  'idType',
  'idNumber',
  'idCountry',
  'category',
  'brand',
  'model',
  'imei',
  'imei2',
  'serialNumber',
  'frameNumber',
  'vin',
  'identifierAbsent',
  'description',
  'colour',
  'material',
  'fineness',
  'weightGrams',
  'priceCents',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

const ACQUISITION_COLUMNS: CsvColumn[] = [
  'acquiredAt',
  'acquisitionType',
  'paymentMethod',
  'sellerLastName',
  'sellerFirstNames',
  'sellerDateOfBirth',
  'sellerStreet',
  'sellerHouseNumber',
  'sellerPostalCode',
  'sellerCity',
  'sellerCountry',
  'idType',
  'idNumber',
  'idCountry',
];

/** Request path (as the validators report it) → CSV column, for error messages by line and column. */
const PATH_TO_COLUMN: Record<string, CsvColumn> = {
  'seller.lastName': 'sellerLastName',
  'seller.firstNames': 'sellerFirstNames',
  'seller.dateOfBirth': 'sellerDateOfBirth',
  'seller.address.street': 'sellerStreet',
  'seller.address.houseNumber': 'sellerHouseNumber',
  'seller.address.postalCode': 'sellerPostalCode',
  'seller.address.city': 'sellerCity',
  'seller.address.country': 'sellerCountry',
  'seller.idDocument.type': 'idType',
  'seller.idDocument.number': 'idNumber',
  'seller.idDocument.issuingCountry': 'idCountry',
};

export interface CsvRow {
  line: number;
  values: Partial<Record<CsvColumn, string>>;
}

export interface CsvAcquisition {
  /** Line of each item, in order (the first is the acquisition's line). */
  lines: number[];
  body: Record<string, unknown>;
}

/**
 * Parses the file: header row naming the columns (any order), RFC 4180 quoting, UTF-8 with or
 * without BOM. In slices, with turns of the event loop between them (a file may hold 20,000 rows).
 */
export async function parseCsv(
  content: string,
  urgent?: () => boolean,
): Promise<{ rows: CsvRow[]; errors: ImportError[] }> {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = await parseCsvInSlices(
      content,
      {
        columns: true,
        bom: true,
        skip_empty_lines: true,
        trim: true,
        info: true,
        relax_column_count: false,
      },
      urgent,
    );
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    return {
      rows: [],
      errors: [
        {
          line: err.lines ?? 1,
          field: '',
          code: 'CSV_SYNTAX',
          message: `The file is not valid CSV: ${err.message ?? 'unreadable'}`,
        },
      ],
    };
  }
  const errors: ImportError[] = [];
  const header = records.length ? Object.keys(records[0].record) : firstLine(content);
  for (const h of header) {
    if (!(CSV_COLUMNS as readonly string[]).includes(h))
      errors.push({
        line: 1,
        field: h,
        code: 'CSV_UNKNOWN_COLUMN',
        message: `Unknown column "${h}"`,
      });
  }
  for (const required of ['acquiredAt', 'acquisitionType', 'category', 'priceCents'] as const) {
    if (!header.includes(required))
      errors.push({
        line: 1,
        field: required,
        code: 'CSV_MISSING_COLUMN',
        message: `The header has no column "${required}"`,
      });
  }
  if (!records.length && !errors.length)
    errors.push({ line: 2, field: '', code: 'CSV_EMPTY', message: 'The file has no rows' });
  const rows = records.map(({ record, info }) => {
    const values: Partial<Record<CsvColumn, string>> = {};
    for (const [k, v] of Object.entries(record)) if (v !== '') values[k as CsvColumn] = v;
    return { line: info.lines, values };
  });
  return { rows, errors };
}

function firstLine(content: string): string[] {
  return (content.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

const int = (v: string | undefined) =>
  v === undefined ? undefined : /^-?\d+$/.test(v) ? Number(v) : v;
const decimal = (v: string | undefined) =>
  v === undefined ? undefined : /^\d+([.,]\d+)?$/.test(v) ? Number(v.replace(',', '.')) : v;

/** Rows with the same externalRef form one acquisition; a row without one is an acquisition by itself. */
export function groupAcquisitions(rows: CsvRow[]): {
  acquisitions: CsvAcquisition[];
  errors: ImportError[];
} {
  const groups = new Map<string, CsvRow[]>();
  rows.forEach((r, n) => {
    const key = r.values.externalRef ? `ref:${r.values.externalRef}` : `row:${n}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  });
  const errors: ImportError[] = [];
  const acquisitions: CsvAcquisition[] = [];
  for (const group of groups.values()) {
    const first = group[0].values;
    for (const r of group.slice(1)) {
      for (const c of ACQUISITION_COLUMNS) {
        if ((r.values[c] ?? '') !== (first[c] ?? '')) {
          errors.push({
            line: r.line,
            field: c,
            code: 'CSV_INCONSISTENT_ACQUISITION',
            message: `${c} differs from line ${group[0].line} of the same externalRef`,
          });
        }
      }
    }
    const v = first;
    const hasSeller = ['sellerLastName', 'sellerFirstNames', 'sellerDateOfBirth', 'idNumber'].some(
      (c) => v[c as CsvColumn] !== undefined,
    );
    acquisitions.push({
      lines: group.map((r) => r.line),
      body: {
        externalRef: v.externalRef,
        acquiredAt: v.acquiredAt,
        acquisitionType: v.acquisitionType,
        paymentMethod: v.paymentMethod,
        seller: hasSeller
          ? {
              lastName: v.sellerLastName,
              firstNames: v.sellerFirstNames,
              dateOfBirth: v.sellerDateOfBirth,
              address: {
                street: v.sellerStreet,
                houseNumber: v.sellerHouseNumber,
                postalCode: v.sellerPostalCode,
                city: v.sellerCity,
                country: v.sellerCountry ?? 'NL',
              },
              idDocument: { type: v.idType, number: v.idNumber, issuingCountry: v.idCountry },
            }
          : undefined,
        items: group.map(({ values: r }) => ({
          category: r.category,
          brand: r.brand,
          model: r.model,
          imei: r.imei,
          imei2: r.imei2,
          serialNumber: r.serialNumber,
          frameNumber: r.frameNumber,
          vin: r.vin,
          identifierAbsent: r.identifierAbsent,
          description: r.description,
          colour: r.colour,
          material: r.material,
          fineness: r.fineness,
          weightGrams: decimal(r.weightGrams),
          priceCents: int(r.priceCents),
        })),
      },
    });
  }
  return { acquisitions, errors };
}

/** A problem reported on a request path → the CSV line and column it came from. */
export function locate(a: CsvAcquisition, path: string): { line: number; field: string } {
  const item = /^items\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (item) return { line: a.lines[Number(item[1])] ?? a.lines[0], field: item[2] ?? 'category' };
  const base = path.replace(/\[\d+\]/g, '');
  return {
    line: a.lines[0],
    field: PATH_TO_COLUMN[base] ?? (base.startsWith('seller') ? 'sellerLastName' : base),
  };
}
