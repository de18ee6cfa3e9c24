import { CanonicalText } from '../audit/canonical';
import type { Acquisition } from './acquisition.entity';
import type { AcquisitionVersion } from './acquisition-version.entity';
import type { Item } from './item.entity';

/** The fields of a line that a version records (and the chain commits to). */
export const ITEM_FIELDS = [
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
  'priceCents',
  'quantity',
  'material',
  'fineness',
  'weightMilligrams',
  'inscription',
  'stoneColour',
] as const;
export type ItemField = (typeof ITEM_FIELDS)[number];

export function itemSnapshot(i: Item) {
  // Also the derived columns a quiet edit could abuse: the dealer a line belongs to, the suspicion
  // flag and the identifier keys that police matching uses.
  const out: Record<string, unknown> = {
    id: i.id,
    dealerId: i.dealerId,
    registerNumber: i.registerNumber,
    sellableFrom: i.sellableFrom,
    suspicious: i.suspicious,
    keys: [i.imeiKey, i.imei2Key, i.serialKey, i.frameKey, i.vinKey],
  };
  for (const f of ITEM_FIELDS) out[f] = i[f];
  return out;
}

/** One version of an acquisition: its fields, its lines, and the seller only as a commitment. */
export function acquisitionSnapshot(a: Acquisition, items: Item[], sellerCommitment: string) {
  return {
    acquisitionId: a.id,
    dealerId: a.dealerId,
    externalRef: a.externalRef,
    acquiredAt: a.acquiredAt,
    registeredAt: a.registeredAt,
    late: a.late,
    acquisitionType: a.acquisitionType,
    paymentMethod: a.paymentMethod,
    seller: { id: a.sellerId, commitment: sellerCommitment },
    items: [...items].sort((x, y) => x.registerNumber - y.registerNumber).map(itemSnapshot),
  };
}

/**
 * What the chain records for a version event (registration or correction). The version row keeps
 * its snapshot and its list of changed fields as canonical JSON text (written by
 * acquisitions.service), so they go into the event as they are, not parsed and written again.
 */
export function versionEventData(v: AcquisitionVersion): {
  acquisitionId: string;
  version: number;
  reason: string | null;
  changed: CanonicalText | null;
  createdByUserId: string;
  createdAt: Date;
  snapshot: CanonicalText | ReturnType<typeof acquisitionSnapshot>;
} {
  return {
    acquisitionId: v.acquisitionId,
    version: v.version,
    reason: v.reason,
    changed: v.changed ? new CanonicalText(v.changed) : null,
    createdByUserId: v.createdByUserId,
    createdAt: v.createdAt,
    snapshot: new CanonicalText(v.snapshot),
  };
}
