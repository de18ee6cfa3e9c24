import { randomInt } from 'node:crypto';
import type { TestApp } from './app';
import { acquisitionBody } from './factories';

/** A purpose (R19) long enough for every police/BOA call. */
export const WHY = 'Onderzoek woninginbraak Musselkanaal';

/**
 * Letters and digits that never take part in look-alike folding (O/0, I/L/1, S/5, B/8, Z/2), so a
 * generated identifier folds onto itself and only the look-alikes a test puts in on purpose count.
 */
const PLAIN = 'ACDEFGHJKMNPQRTUVWXY34679';

/** A random identifier of `length` plain characters: unrelated to every other one in the database. */
export function plainId(length = 10): string {
  let out = '';
  for (let i = 0; i < length; i++) out += PLAIN[randomInt(PLAIN.length)];
  return out;
}

export interface ItemRef {
  id: string;
  acquisitionId: string;
  registerNumber: number;
}

/** A laptop line (serial number required, R5). */
export function laptop(serialNumber: string | null, extra: Record<string, unknown> = {}) {
  return {
    category: 'laptop',
    brand: 'Lenovo',
    model: 'ThinkPad X1',
    ...(serialNumber ? { serialNumber } : {}),
    description: 'grijs, sticker op de klep',
    priceCents: 30000,
    ...extra,
  };
}

/** A phone line with this IMEI. */
export function phone(imei: string, extra: Record<string, unknown> = {}) {
  return {
    category: 'phone',
    brand: 'Apple',
    model: 'iPhone 13',
    imei,
    description: 'zwart, barst in hoek',
    priceCents: 25000,
    ...extra,
  };
}

/** Registers one acquisition at the dealer of `auth` with these lines; returns the acquisition body. */
export async function register(
  t: TestApp,
  auth: string,
  items: object[],
  overrides: Record<string, unknown> = {},
) {
  const res = await t.http
    .post('/api/v1/acquisitions')
    .set('Authorization', auth)
    .send(acquisitionBody({ items, ...overrides }));
  if (res.status !== 201)
    throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; items: ItemRef[] };
}

/** Registers one line and returns it. */
export async function registerOne(
  t: TestApp,
  auth: string,
  item: object,
  overrides: Record<string, unknown> = {},
): Promise<ItemRef> {
  return (await register(t, auth, [item], overrides)).items[0];
}

export interface HitBody {
  id: string;
  source: 'stolen_report' | 'suspicious' | 'dealer_report';
  tier: 'exact' | 'possible';
  status: string;
  item: { id: string } | null;
  dealer: { id: string };
  stolenReport: { id: string; caseNumber: string; identifier: string } | null;
  dealerReport: { id: string; kind: string } | null;
  history: { status: string; note: string | null; by: string; at: string }[];
}

/** Every hit in the inbox (all pages). */
export async function allHits(
  t: TestApp,
  police: string,
  query: Record<string, string> = {},
): Promise<HitBody[]> {
  const out: HitBody[] = [];
  for (let page = 1; ; page++) {
    const res = await t.http
      .get('/api/v1/hits')
      .query({ ...query, page, pageSize: 200 })
      .set('Authorization', police)
      .expect(200);
    out.push(...(res.body.items as HitBody[]));
    if (out.length >= res.body.total || !res.body.items.length) return out;
  }
}

/** The hits on one line. */
export async function hitsOn(t: TestApp, police: string, itemId: string): Promise<HitBody[]> {
  return (await allHits(t, police)).filter((h) => h.item?.id === itemId);
}

export interface AlertBody {
  id: string;
  kind: string;
  message: string;
  itemId: string | null;
  hitId: string | null;
  watchlistId: string | null;
  personal: boolean;
}

/** Every alert the caller sees (all pages). */
export async function allAlerts(t: TestApp, auth: string): Promise<AlertBody[]> {
  const out: AlertBody[] = [];
  for (let page = 1; ; page++) {
    const res = await t.http
      .get('/api/v1/alerts')
      .query({ page, pageSize: 200 })
      .set('Authorization', auth)
      .expect(200);
    out.push(...(res.body.items as AlertBody[]));
    if (out.length >= res.body.total || !res.body.items.length) return out;
  }
}

/** POST /stolen-reports. */
export function report(t: TestApp, police: string, body: Record<string, unknown>) {
  return t.http
    .post('/api/v1/stolen-reports')
    .set('Authorization', police)
    .send({ caseNumber: `PL0100-${plainId(8)}`, identifierType: 'serial', ...body });
}
