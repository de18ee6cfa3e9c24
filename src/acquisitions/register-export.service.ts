import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { amsterdamDayRange, amsterdamIso } from '../common/amsterdam-time';
import type { Caller } from '../common/roles';
import type { Dealer } from '../dealers/dealer.entity';
import type { Seller } from '../sellers/seller.entity';
import { SellersService } from '../sellers/sellers.service';
import { AcquisitionsRepository } from './acquisitions.repository';
import { toItemView } from './acquisition.mapper';
import type { RegisterExportQuery } from './dto/register-export.dto';

const LINE_COLUMNS = [
  'registerNumber',
  'acquiredAt',
  'registeredAt',
  'late',
  'externalRef',
  'acquisitionType',
  'paymentMethod',
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
  'inscription',
  'stoneColour',
  'priceCents',
  'quantity',
  'sellableFrom',
  'status',
  'version',
  'voidReason',
  'disposedAt',
  'disposalKind',
  'disposalPriceCents',
  'buyerName',
  'buyerCity',
  'violations',
] as const;
const SELLER_COLUMNS = [
  'sellerLastName',
  'sellerFirstNames',
  'sellerDateOfBirth',
  'sellerAddress',
  'idType',
  'idNumberLast4',
  'idCountry',
] as const;

/** The register as CSV, one row per line, times in Amsterdam; seller columns only for the dealer itself. */
@Injectable()
export class RegisterExportService {
  constructor(
    private readonly repo: AcquisitionsRepository,
    private readonly sellers: SellersService,
  ) {}

  async csv(caller: Caller, dealer: Dealer, q: RegisterExportQuery): Promise<string> {
    const withSeller = caller.dealerId === dealer.id;
    // The lines that exist now: a registration during the export cannot shift the pages.
    const range = { ...amsterdamDayRange(q.from, q.to), upToNumber: dealer.lastRegisterNumber };
    const rows: Record<string, unknown>[] = [];
    for (let page = 0; ; page++) {
      const [items] = await this.repo.linePage(dealer.id, range, page * 1000, 1000);
      if (!items.length) break;
      const acquisitions = new Map(
        (await this.repo.findByIds(items.map((i) => i.acquisitionId))).map((a) => [a.id, a]),
      );
      const disposals = new Map(
        (await this.repo.disposalsOf(items.map((i) => i.id))).map((d) => [d.itemId, d]),
      );
      const holds = new Map(
        (await this.repo.activeHoldsOf(items.map((i) => i.id))).map((h) => [h.itemId, h]),
      );
      const sellers = new Map<string, Seller>(
        withSeller
          ? (await this.sellers.findByIds([...acquisitions.values()].map((a) => a.sellerId))).map(
              (s) => [s.id, s],
            )
          : [],
      );
      for (const i of items) {
        const a = acquisitions.get(i.acquisitionId)!;
        const d = disposals.get(i.id);
        // The line as the API shows it (one mapping of an item), with times in Amsterdam.
        const v = toItemView(i, a.voidedAt !== null, d, holds.get(i.id));
        const row: Record<string, unknown> = {
          ...v,
          acquiredAt: amsterdamIso(a.acquiredAt),
          registeredAt: amsterdamIso(a.registeredAt),
          late: a.late,
          externalRef: a.externalRef,
          acquisitionType: a.acquisitionType,
          paymentMethod: a.paymentMethod,
          sellableFrom: amsterdamIso(i.sellableFrom),
          version: a.version,
          voidReason: a.voidReason,
          disposedAt: d ? amsterdamIso(d.disposedAt) : null,
          disposalKind: d?.kind,
          disposalPriceCents: d?.priceCents,
          buyerName: d?.buyerName,
          buyerCity: d?.buyerCity,
          violations: d?.violations.join(' '),
        };
        if (withSeller) {
          const s = sellers.get(a.sellerId);
          Object.assign(row, {
            sellerLastName: s?.lastName,
            sellerFirstNames: s?.firstNames,
            sellerDateOfBirth: s?.dateOfBirth,
            sellerAddress:
              s && s.street
                ? `${s.street} ${s.houseNumber}, ${s.postalCode} ${s.city}, ${s.country}`
                : null,
            idType: s?.idType,
            idNumberLast4: s?.idNumberLast4,
            idCountry: s?.idIssuingCountry,
          });
        }
        rows.push(row);
      }
      if (items.length < 1000) break;
    }
    rows.sort((x, y) => (x.registerNumber as number) - (y.registerNumber as number));
    const columns = withSeller ? [...LINE_COLUMNS, ...SELLER_COLUMNS] : [...LINE_COLUMNS];
    return stringify(rows, {
      header: true,
      columns: [...columns],
      bom: true,
      cast: { boolean: (b) => (b ? 'yes' : 'no'), string: neutraliseFormula },
    });
  }
}

/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with ' (CSV injection). */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
