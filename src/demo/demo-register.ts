import { plainToInstance } from 'class-transformer';
import type { AcquisitionsService } from '../acquisitions/acquisitions.service';
import { CreateAcquisitionDto } from '../acquisitions/dto/acquisition.dto';
import { withImeiCheckDigit } from '../acquisitions/identifiers';
import type { Caller } from '../common/roles';
import type { Category } from '../dealers/dealer.entity';
import type { DisposalsService } from '../disposals/disposals.service';
import type { DisposalDto } from '../disposals/dto/disposal.dto';

/** A small deterministic PRNG (mulberry32): the same demo every time. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const luhnImei = withImeiCheckDigit;

const LAST = [
  'de Vries',
  'Jansen',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'de Boer',
  'Mulder',
  'de Groot',
  'Bos',
  'Vos',
  'Peters',
  'Hendriks',
  'Dijkstra',
  'Kok',
  'Huisman',
  'Postma',
  'Veenstra',
  'Kramer',
  'Hoekstra',
];
const FIRST = [
  'Anna',
  'Jan',
  'Sanne',
  'Pieter',
  'Lotte',
  'Kevin',
  'Fatima',
  'Mohamed',
  'Eva',
  'Tim',
  'Daan',
  'Sara',
  'Bram',
  'Iris',
  'Ruben',
];
const STREETS = [
  'Hoofdstraat',
  'Kerkstraat',
  'Navolaan',
  'Stationsstraat',
  'Torenstraat',
  'Raadhuisstraat',
  'Langestraat',
  'Beneden Oosterdiep',
];
const PLACES: [string, string][] = [
  ['Stadskanaal', '9501'],
  ['Musselkanaal', '9581'],
  ['Winschoten', '9671'],
  ['Vlagtwedde', '9541'],
  ['Ter Apel', '9561'],
  ['Veendam', '9641'],
];

interface Make {
  category: Category;
  brand: string;
  models: string[];
  price: [number, number];
}
const GOODS: Make[] = [
  {
    category: 'phone',
    brand: 'Apple',
    models: ['iPhone 12', 'iPhone 13', 'iPhone 14 Pro', 'iPhone SE'],
    price: [8000, 45000],
  },
  {
    category: 'phone',
    brand: 'Samsung',
    models: ['Galaxy S21', 'Galaxy A54', 'Galaxy S23'],
    price: [5000, 35000],
  },
  {
    category: 'laptop',
    brand: 'Lenovo',
    models: ['ThinkPad T14', 'IdeaPad 5'],
    price: [10000, 40000],
  },
  {
    category: 'laptop',
    brand: 'Apple',
    models: ['MacBook Air M1', 'MacBook Pro 14'],
    price: [25000, 90000],
  },
  { category: 'tablet', brand: 'Apple', models: ['iPad 9', 'iPad Air'], price: [10000, 35000] },
  {
    category: 'gaming',
    brand: 'Sony',
    models: ['PlayStation 5', 'PlayStation 4 Pro'],
    price: [10000, 30000],
  },
  {
    category: 'gaming',
    brand: 'Nintendo',
    models: ['Switch OLED', 'Switch'],
    price: [8000, 20000],
  },
  {
    category: 'bicycle',
    brand: 'Gazelle',
    models: ['Orange C7', 'Chamonix'],
    price: [5000, 30000],
  },
  { category: 'ebike', brand: 'Stella', models: ['Vicenza', 'Livorno'], price: [30000, 90000] },
  { category: 'bicycle', brand: 'Batavus', models: ['Finez', 'Mambo'], price: [4000, 25000] },
  {
    category: 'tools',
    brand: 'Makita',
    models: ['DHP484 klopboormachine', 'DGA504 haakse slijper'],
    price: [3000, 15000],
  },
  { category: 'tools', brand: 'Bosch', models: ['GSR 18V', 'PST 700'], price: [2500, 12000] },
  { category: 'audio_video', brand: 'Sonos', models: ['One', 'Beam'], price: [5000, 25000] },
  { category: 'camera', brand: 'Canon', models: ['EOS 250D', 'EOS R10'], price: [15000, 60000] },
  { category: 'watch', brand: 'Seiko', models: ['Presage', '5 Sports'], price: [8000, 30000] },
  {
    category: 'jewellery',
    brand: '',
    models: ['gouden ring', 'gouden schakelketting', 'zilveren armband', 'gouden oorbellen'],
    price: [2000, 60000],
  },
  {
    category: 'precious_metal',
    brand: '',
    models: ['oud goud (breukgoud)', 'zilveren munten'],
    price: [5000, 120000],
  },
  {
    category: 'other',
    brand: '',
    models: ['kinderwagen', 'elektrische step', 'koffiemachine'],
    price: [1000, 15000],
  },
];

/**
 * A few hundred realistic acquisitions over the last four months for the active demo dealers,
 * through the real services (validation, numbering, encryption, chain): some registered late,
 * most older items sold, a few sold inside the holding period.
 */
export async function seedDemoRegister(
  dealers: { caller: Caller; categories: Category[] }[],
  acquisitions: AcquisitionsService,
  disposals: DisposalsService,
  perDealer = 70,
): Promise<{ acquisitions: number; lines: number; disposals: number }> {
  const rnd = prng(20260402);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const between = (lo: number, hi: number) => Math.round(lo + rnd() * (hi - lo));
  const sellers = Array.from({ length: 40 }, (_, n) => {
    const [city, pc] = pick(PLACES);
    return {
      lastName: pick(LAST),
      firstNames: pick(FIRST),
      dateOfBirth: `${between(1955, 2004)}-${String(between(1, 12)).padStart(2, '0')}-${String(between(1, 28)).padStart(2, '0')}`,
      address: {
        street: pick(STREETS),
        houseNumber: String(between(1, 140)),
        postalCode: `${pc} ${'ABCDEGHJKLMNPRTVWXZ'[n % 19]}${'ABCDEGHJKLMNPRTVWXZ'[(n * 7) % 19]}`,
        city,
        country: 'NL',
      },
      idDocument: {
        type: rnd() < 0.6 ? 'id_card' : rnd() < 0.7 ? 'driving_licence' : 'passport',
        number: `${'NBIX'[n % 4]}${'RTKP'[n % 4]}${String(1000000 + n * 7919).slice(0, 7)}`,
        issuingCountry: 'NL',
      },
    };
  });
  let count = 0;
  let lines = 0;
  let sold = 0;
  const now = Date.now();
  for (const d of dealers) {
    const goods = GOODS.filter((g) => d.categories.includes(g.category));
    if (!goods.length) continue;
    // Registrations in the order they happened at the counter; disposals afterwards, in time order.
    const plans = Array.from({ length: perDealer }, () => {
      const at = now - between(1, 120 * 24) * 3_600_000;
      const acquiredAt = new Date(at - (at % 60_000));
      const late = rnd() < 0.08;
      const registeredAt = new Date(
        Math.min(
          now,
          acquiredAt.getTime() +
            (late ? between(30, 60) : between(0, 3)) * 3_600_000 +
            between(1, 50) * 60_000,
        ),
      );
      return { acquiredAt, registeredAt };
    }).sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime());
    const pending: { at: number; itemId: string; dto: DisposalDto }[] = [];
    let serial = 0;
    for (const { acquiredAt, registeredAt } of plans) {
      const n = rnd() < 0.2 ? 2 : 1;
      const items = Array.from({ length: n }, () => {
        const g = pick(goods);
        serial += 1;
        const base = {
          category: g.category,
          brand: g.brand || undefined,
          model: pick(g.models),
          priceCents: Math.round(between(g.price[0], g.price[1]) / 500) * 500,
          colour: pick(['zwart', 'wit', 'grijs', 'blauw', 'zilver']),
        };
        switch (g.category) {
          case 'phone':
            return rnd() < 0.03
              ? { ...base, identifierAbsent: 'unreadable' }
              : {
                  ...base,
                  imei: luhnImei(`35${String(Math.floor(rnd() * 1e12)).padStart(12, '0')}`),
                };
          case 'bicycle':
          case 'ebike':
            return {
              ...base,
              frameNumber: `${g.brand.slice(0, 2).toUpperCase()}${String(between(1e7, 9e7))}`,
            };
          case 'jewellery':
            return {
              category: g.category,
              description: base.model,
              material: base.model.includes('zilver') ? 'zilver' : 'goud',
              fineness: base.model.includes('zilver') ? '925' : pick(['585', '750', '14K']),
              weightGrams: between(15, 250) / 10,
              priceCents: base.priceCents,
              inscription: rnd() < 0.2 ? 'J & M 1998' : undefined,
              stoneColour: rnd() < 0.3 ? pick(['rood', 'blauw', 'helder']) : undefined,
            };
          case 'precious_metal':
            return {
              category: g.category,
              description: base.model,
              material: base.model.includes('zilver') ? 'zilver' : 'goud',
              weightGrams: between(100, 2500) / 10,
              priceCents: base.priceCents,
              quantity: between(1, 6),
            };
          case 'other':
            return { category: g.category, description: base.model, priceCents: base.priceCents };
          default:
            return {
              ...base,
              serialNumber: `${g.brand.slice(0, 1)}${String(between(1e8, 9e8))}${serial}`,
            };
        }
      });
      const type = rnd() < 0.85 ? 'purchase' : pick(['trade_in', 'pawn', 'consignment']);
      const dto = plainToInstance(CreateAcquisitionDto, {
        externalRef:
          rnd() < 0.5 ? `KASSA-${acquiredAt.getTime().toString(36).toUpperCase()}` : undefined,
        acquiredAt: acquiredAt.toISOString(),
        acquisitionType: type,
        paymentMethod:
          type === 'purchase' ? pick(['cash', 'pin', 'pin', 'bank_transfer']) : undefined,
        seller: pick(sellers),
        items,
      });
      const r = await acquisitions.register(d.caller, dto, { now: registeredAt });
      count += 1;
      lines += r.view.items.length;
      for (const item of r.view.items) {
        if (now - acquiredAt.getTime() < 10 * 86_400_000 || rnd() < 0.35) continue;
        const early = rnd() < 0.05; // sold inside the holding period: a violation for the audit
        const earliest = registeredAt.getTime() + 3_600_000;
        const at = Math.min(
          now - 3_600_000,
          early
            ? Math.max(earliest, acquiredAt.getTime() + between(20, 60) * 3_600_000)
            : new Date(item.sellableFrom).getTime() + between(2, 30 * 24) * 3_600_000,
        );
        if (at < earliest) continue;
        const dispo: DisposalDto =
          rnd() < 0.9
            ? {
                disposedAt: new Date(at).toISOString(),
                kind: 'sale',
                priceCents: Math.round((item.priceCents * (1.2 + rnd() * 0.6)) / 100) * 100,
                buyer: { name: `${pick(FIRST)} ${pick(LAST)}`, city: pick(PLACES)[0] },
              }
            : {
                disposedAt: new Date(at).toISOString(),
                kind: item.category === 'precious_metal' ? 'melted' : 'returned_to_seller',
              };
        pending.push({ at, itemId: item.id, dto: dispo });
      }
    }
    for (const p of pending.sort((a, b) => a.at - b.at)) {
      await disposals.dispose(d.caller, p.itemId, p.dto, {
        now: new Date(Math.min(now, p.at + 600_000)),
      });
      sold += 1;
    }
  }
  return { acquisitions: count, lines, disposals: sold };
}
