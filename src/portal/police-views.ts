import type { AccessAction } from '../access-log/access-log.entity';
import type { AccessLogView } from '../access-log/access-log.service';
import type { ItemView } from '../acquisitions/acquisition.mapper';
import type { MatchTier } from '../acquisitions/identifiers';
import type { DealerReportKind } from '../police/dealer-report.entity';
import type { HitSource, HitStatus } from '../police/hit.entity';
import type { HitView } from '../police/hits.service';
import type { AlertKind, WatchKind } from '../police/watchlist.entity';
import { CATEGORY_LABELS, CATEGORY_SINGULAR, formatIsoDate, formatShortDateTime } from './labels';
import { brandModel, euro, identification, lineStatus } from './register-views';

/** View models of the police, BOA and admin screens (PORTAL.md "Police", "BOA", "Admin"): Dutch labels, Amsterdam times. */

export const TIER_LABELS: Record<MatchTier, string> = { exact: 'Exact', possible: 'Mogelijk' };

export const HIT_STATUS_LABELS: Record<HitStatus, string> = {
  new: 'Nieuw',
  investigating: 'In onderzoek',
  confirmed: 'Bevestigd',
  dismissed: 'Afgewezen',
};

/** What the officer chooses in the status form (the action, not the state). */
export const HIT_ACTION_LABELS: Record<Exclude<HitStatus, 'new'>, string> = {
  investigating: 'In onderzoek nemen',
  confirmed: 'Bevestigen: het is gestolen goed',
  dismissed: 'Afwijzen: geen gestolen goed',
};

export const HIT_SOURCE_LABELS: Record<HitSource, string> = {
  stolen_report: 'Aangifte gestolen goed',
  suspicious: 'Verdacht artikel (nummer verwijderd of onleesbaar)',
  dealer_report: 'Melding van de handelaar',
};

export const IDENTIFIER_TYPE_LABELS: Record<string, string> = {
  imei: 'IMEI',
  serial: 'Serienummer',
  frame: 'Framenummer',
  vin: 'VIN',
};

export const WATCH_KIND_LABELS: Record<WatchKind, string> = {
  identifier: 'Identificatienummer (IMEI, serie-, frame- of VIN-nummer)',
  seller_document: 'Verkoper (nummer van het identiteitsbewijs)',
  brand_model: 'Merk en model',
};

export const WATCH_KIND_SHORT: Record<WatchKind, string> = {
  identifier: 'Nummer',
  seller_document: 'Verkoper',
  brand_model: 'Merk en model',
};

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  exact_hit: 'Exacte treffer',
  hold_disposal: 'Afgevoerd tijdens blokkade',
  watchlist: 'Signalering',
  dealer_report: 'Melding handelaar',
};

export const DEALER_REPORT_KIND_LABELS: Record<DealerReportKind, string> = {
  refused_offer: 'Verdacht aanbod dat ik heb geweigerd',
  suspected_stolen: 'Een artikel in mijn register is vermoedelijk gestolen',
};

export const ACCESS_ACTION_LABELS: Record<AccessAction, string> = {
  search_items: 'Zoeken in het register',
  top_sellers: 'Topverkopers',
  view_seller: 'Verkoper bekeken',
};

export const PARAMETER_LABELS: Record<string, string> = {
  identifier: 'nummer',
  q: 'tekst',
  brand: 'merk',
  model: 'model',
  category: 'categorie',
  from: 'van',
  to: 'tot',
  dealerId: 'handelaar',
  municipalityCode: 'gemeente',
  sellerName: 'achternaam',
  sellerDateOfBirth: 'geboortedatum',
  sellerDocumentNumber: 'document',
  itemId: 'regel',
  minItems: 'min. artikelen',
  minDealers: 'min. handelaren',
  minTotalCents: 'min. totaal',
  page: 'pagina',
};

const tone = (s: HitStatus) =>
  s === 'new' ? 'stop' : s === 'investigating' ? 'wait' : s === 'confirmed' ? 'done' : 'void';

export function hitStatusBadge(s: HitStatus): { label: string; tone: string } {
  return { label: HIT_STATUS_LABELS[s], tone: tone(s) };
}

export function tierBadge(t: MatchTier): { label: string; tone: string } {
  return { label: TIER_LABELS[t], tone: t === 'exact' ? 'stop' : 'wait' };
}

/** A one-line description of a line for tables: category, brand and model. */
export function itemSummary(i: ItemView): string {
  return [
    CATEGORY_SINGULAR[i.category as keyof typeof CATEGORY_SINGULAR] ?? i.category,
    brandModel(i),
  ]
    .filter(Boolean)
    .join(' — ');
}

/** One row of the hit inbox. */
export function hitRow(h: HitView, now: Date) {
  return {
    id: h.id,
    createdAt: formatShortDateTime(h.createdAt),
    status: hitStatusBadge(h.status),
    tier: tierBadge(h.tier),
    source: HIT_SOURCE_LABELS[h.source],
    item: h.item
      ? {
          id: h.item.id,
          registerNumber: h.item.registerNumber,
          summary: itemSummary(h.item),
          identification: identification(h.item),
          status: lineStatus(h.item, now),
        }
      : null,
    dealer: h.dealer,
    reason: h.stolenReport
      ? `Zaak ${h.stolenReport.caseNumber}: ${IDENTIFIER_TYPE_LABELS[h.stolenReport.identifierType] ?? h.stolenReport.identifierType} ${h.stolenReport.identifier}`
      : h.dealerReport
        ? `Melding: ${DEALER_REPORT_KIND_LABELS[h.dealerReport.kind as DealerReportKind] ?? h.dealerReport.kind}`
        : HIT_SOURCE_LABELS[h.source],
  };
}

/** The history of a hit: who, when, which status, the note. */
export function hitHistory(h: HitView) {
  return h.history.map((e) => ({
    at: formatShortDateTime(e.at),
    status: hitStatusBadge(e.status),
    by: e.by,
    note: e.note ?? '',
  }));
}

/** An access log entry for the admin's table; the question as "criterion: value" pairs. */
export function accessLogRow(e: AccessLogView, names: Map<string, string> = new Map()) {
  const shown = (k: string, v: unknown): string => {
    if (typeof v === 'string' && names.has(v)) return names.get(v)!;
    if (k === 'category' && typeof v === 'string')
      return CATEGORY_LABELS[v as keyof typeof CATEGORY_LABELS] ?? v;
    if (k === 'minTotalCents' && typeof v === 'number') return euro(v);
    return typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
  };
  const params = Object.entries(e.parameters)
    .filter(([k, v]) => v !== undefined && v !== null && v !== '' && !(k === 'page' && v === 1))
    .map(([k, v]) => `${PARAMETER_LABELS[k] ?? k}: ${shown(k, v)}`);
  return {
    at: formatShortDateTime(e.at),
    user: e.userName,
    role: e.role,
    action: ACCESS_ACTION_LABELS[e.action] ?? e.action,
    reason: e.reason,
    caseNumber: e.caseNumber ?? '',
    parameters: params,
    resultCount: e.resultCount,
  };
}

export { formatIsoDate };
