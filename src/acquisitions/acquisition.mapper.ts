import type { Disposal, Violation } from '../disposals/disposal.entity';
import type { HoldView } from '../holds/dto/hold.dto';
import type { Hold } from '../holds/hold.entity';
import type { SellerView } from '../sellers/sellers.service';
import type { AcquisitionVersion } from './acquisition-version.entity';
import type { Acquisition } from './acquisition.entity';
import type { LineStatus } from './dto/acquisition.dto';
import type { Item } from './item.entity';

/** What a dealer sees of a hold (R13): that there is one — never the case or the reason. */
export const HOLD_LABEL = 'Niet verkopen — politieonderzoek';

export interface DisposalView {
  id: string;
  itemId: string;
  disposedAt: string;
  kind: string;
  priceCents: number | null;
  buyer: { name: string; city: string | null } | null;
  violations: Violation[];
  recordedAt: string;
}

export interface ItemView {
  id: string;
  acquisitionId: string;
  registerNumber: number;
  category: string;
  brand: string | null;
  model: string | null;
  imei: string | null;
  imei2: string | null;
  serialNumber: string | null;
  frameNumber: string | null;
  vin: string | null;
  identifierAbsent: string | null;
  description: string | null;
  colour: string | null;
  priceCents: number;
  quantity: number;
  material: string | null;
  fineness: string | null;
  weightGrams: number | null;
  inscription: string | null;
  stoneColour: string | null;
  sellableFrom: string;
  status: LineStatus;
  hold: { active: true; label: string } | null;
  disposal: DisposalView | null;
}

export interface AcquisitionView {
  id: string;
  dealerId: string;
  externalRef: string | null;
  acquiredAt: string;
  registeredAt: string;
  late: boolean;
  acquisitionType: string;
  paymentMethod: string | null;
  sellerId: string;
  seller?: SellerView;
  version: number;
  voided: boolean;
  voidedAt: string | null;
  voidReason: string | null;
  items: ItemView[];
  versions?: VersionView[];
}

export interface VersionView {
  version: number;
  createdAt: string;
  createdBy: string;
  reason: string | null;
  changed: string[];
  snapshot: unknown;
}

/** A hold as the police see it (case, reason, placed and lifted); the dealer sees only HOLD_LABEL. */
export function toHoldView(h: Hold): HoldView {
  return {
    id: h.id,
    itemId: h.itemId,
    caseNumber: h.caseNumber,
    reason: h.reason,
    placedAt: h.placedAt.toISOString(),
    liftedAt: h.liftedAt?.toISOString() ?? null,
    active: h.liftedAt === null,
  };
}

export function toDisposalView(d: Disposal): DisposalView {
  return {
    id: d.id,
    itemId: d.itemId,
    disposedAt: d.disposedAt.toISOString(),
    kind: d.kind,
    priceCents: d.priceCents,
    buyer: d.buyerName ? { name: d.buyerName, city: d.buyerCity } : null,
    violations: d.violations,
    recordedAt: d.recordedAt.toISOString(),
  };
}

export function lineStatus(
  voided: boolean,
  disposal: Disposal | undefined,
  hold: Hold | undefined,
): LineStatus {
  if (voided) return 'voided';
  if (disposal) return 'disposed';
  if (hold) return 'on_hold';
  return 'in_stock';
}

export function toItemView(i: Item, voided: boolean, disposal?: Disposal, hold?: Hold): ItemView {
  return {
    id: i.id,
    acquisitionId: i.acquisitionId,
    registerNumber: i.registerNumber,
    category: i.category,
    brand: i.brand,
    model: i.model,
    imei: i.imei,
    imei2: i.imei2,
    serialNumber: i.serialNumber,
    frameNumber: i.frameNumber,
    vin: i.vin,
    identifierAbsent: i.identifierAbsent,
    description: i.description,
    colour: i.colour,
    priceCents: i.priceCents,
    quantity: i.quantity,
    material: i.material,
    fineness: i.fineness,
    weightGrams: i.weightMilligrams === null ? null : i.weightMilligrams / 1000,
    inscription: i.inscription,
    stoneColour: i.stoneColour,
    sellableFrom: i.sellableFrom.toISOString(),
    status: lineStatus(voided, disposal, hold),
    hold: hold && !disposal ? { active: true, label: HOLD_LABEL } : null,
    disposal: disposal ? toDisposalView(disposal) : null,
  };
}

export function toAcquisitionView(
  a: Acquisition,
  items: Item[],
  disposals: Map<string, Disposal>,
  holds: Map<string, Hold>,
  seller?: SellerView,
): AcquisitionView {
  const voided = a.voidedAt !== null;
  return {
    id: a.id,
    dealerId: a.dealerId,
    externalRef: a.externalRef,
    acquiredAt: a.acquiredAt.toISOString(),
    registeredAt: a.registeredAt.toISOString(),
    late: a.late,
    acquisitionType: a.acquisitionType,
    paymentMethod: a.paymentMethod,
    sellerId: a.sellerId,
    ...(seller ? { seller } : {}),
    version: a.version,
    voided,
    voidedAt: a.voidedAt?.toISOString() ?? null,
    voidReason: a.voidReason,
    items: items.map((i) => toItemView(i, voided, disposals.get(i.id), holds.get(i.id))),
  };
}

/** A version as shown: the recorded snapshot without the internal columns (suspicion flag, match keys) — R12: the dealer is never told. */
export function toVersionView(v: AcquisitionVersion): VersionView {
  const snapshot = JSON.parse(v.snapshot) as { items?: Record<string, unknown>[] };
  for (const item of snapshot.items ?? []) {
    delete item.suspicious;
    delete item.keys;
  }
  return {
    version: v.version,
    createdAt: v.createdAt.toISOString(),
    createdBy: v.createdByName,
    reason: v.reason,
    changed: v.changed ? (JSON.parse(v.changed) as string[]) : [],
    snapshot,
  };
}
