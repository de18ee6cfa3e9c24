import { plainToInstance } from 'class-transformer';
import type { DataSource } from 'typeorm';
import type { AcquisitionsService } from '../acquisitions/acquisitions.service';
import { CreateAcquisitionDto } from '../acquisitions/dto/acquisition.dto';
import { Item } from '../acquisitions/item.entity';
import type { Caller } from '../common/roles';
import { Disposal } from '../disposals/disposal.entity';
import type { HoldsService } from '../holds/holds.service';
import type { DealerReportsService } from '../police/dealer-reports.service';
import type { CreateStolenReportDto } from '../police/dto/police.dto';
import type { HitsService } from '../police/hits.service';
import type { StolenReportsService } from '../police/stolen-reports.service';
import type { WatchlistsService } from '../police/watchlists.service';
import { luhnImei, prng } from './demo-register';

export interface DemoPoliceServices {
  ds: DataSource;
  acquisitions: AcquisitionsService;
  stolen: StolenReportsService;
  hits: HitsService;
  holds: HoldsService;
  watchlists: WatchlistsService;
  dealerReports: DealerReportsService;
}

export interface DemoPoliceCallers {
  police: Caller;
  /** Owners of the active demo dealers, by demo dealer key. */
  owners: Record<'telefoonhuis' | 'goudwisselkantoor' | 'rijwiel' | 'kringloop', Caller>;
}

/** The seller the demo watchlist is about: he comes back to the counter after it was set. */
const WATCHED_SELLER = {
  lastName: 'Kuipers',
  firstNames: 'Dennis',
  dateOfBirth: '1991-03-14',
  address: {
    street: 'Beneden Oosterdiep',
    houseNumber: '212',
    postalCode: '9641 KM',
    city: 'Veendam',
    country: 'NL',
  },
  idDocument: { type: 'driving_licence', number: 'RK7731045', issuingCountry: 'NL' },
};

/** Digits that have a look-alike letter (R12 folding): how a report typed from a blurry photo differs. */
const LOOKALIKE_OF: Record<string, string> = { '0': 'O', '1': 'I', '5': 'S', '8': 'B', '2': 'Z' };

/**
 * The police side of the demo (PORTAL.md "Demo", issue 4), through the real services on the seeded
 * register: stolen reports giving exact and possible hits, one hit under investigation with a hold
 * on its line at Telefoonhuis Stadskanaal, a watchlist that alerted, and dealer reports.
 * Deterministic: the lines are chosen by register number from the deterministic demo register.
 */
export async function seedDemoPolice(
  s: DemoPoliceServices,
  c: DemoPoliceCallers,
): Promise<{
  reports: number;
  hits: number;
  holds: number;
  watchlists: number;
  dealerReports: number;
}> {
  const rnd = prng(20261128);
  const lines = async (
    dealerId: string | null,
    column: 'imei' | 'serialNumber' | 'frameNumber',
  ) => {
    const items = await s.ds
      .getRepository(Item)
      .createQueryBuilder('i')
      .where(`i.${column} IS NOT NULL`)
      .andWhere('i.dealerId = :dealerId', { dealerId })
      .orderBy('i.registerNumber', 'ASC')
      .getMany();
    const sold = new Set(
      (await s.ds.getRepository(Disposal).find({ select: { itemId: true } })).map((d) => d.itemId),
    );
    return { inStock: items.filter((i) => !sold.has(i.id)), all: items };
  };
  const phones = await lines(c.owners.telefoonhuis.dealerId, 'imei');
  const bikes = await lines(c.owners.rijwiel.dealerId, 'frameNumber');
  const kringloop = await lines(c.owners.kringloop.dealerId, 'serialNumber');
  const laptops = await lines(c.owners.telefoonhuis.dealerId, 'serialNumber');
  const phone = phones.inStock.at(-1) ?? phones.all.at(-1);
  if (!phone?.imei) return { reports: 0, hits: 0, holds: 0, watchlists: 0, dealerReports: 0 };

  const stolenAt = (daysAgo: number) =>
    new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const reports: CreateStolenReportDto[] = [];
  // Exact: the very IMEI, frame number and serial number of three lines.
  reports.push({
    caseNumber: 'PL0100-2026104417',
    identifierType: 'imei',
    identifier: phone.imei,
    brand: phone.brand ?? undefined,
    category: 'phone',
    description:
      `${phone.brand ?? ''} ${phone.model ?? ''} weggenomen bij woninginbraak, Stadskanaal`.trim(),
    stolenAt: stolenAt(20),
  });
  const bike = bikes.all[Math.floor(bikes.all.length / 3)];
  if (bike?.frameNumber)
    reports.push({
      caseNumber: 'PL0100-2026098231',
      identifierType: 'frame',
      identifier: bike.frameNumber,
      brand: bike.brand ?? undefined,
      category: bike.category,
      description:
        `${bike.brand ?? ''} ${bike.model ?? ''} gestolen uit fietsenstalling station Winschoten`.trim(),
      stolenAt: stolenAt(60),
    });
  const camera = kringloop.all.find((i) => i.category === 'camera') ?? kringloop.all[0];
  if (camera?.serialNumber)
    reports.push({
      caseNumber: 'PL0100-2026087710',
      identifierType: 'serial',
      identifier: camera.serialNumber,
      brand: camera.brand ?? undefined,
      category: camera.category,
      description: `${camera.brand ?? ''} ${camera.model ?? ''} uit bedrijfsbus gestolen`.trim(),
      stolenAt: stolenAt(75),
    });
  // Possible, look-alike: a frame number reported with a letter where the frame has a digit (5 → S, 0 → O …).
  const blurred = bikes.all.find((i) => i !== bike && /[01258]/.test(i.frameNumber!.slice(2)));
  if (blurred?.frameNumber) {
    const f = blurred.frameNumber;
    const at = 2 + f.slice(2).search(/[01258]/);
    reports.push({
      caseNumber: 'PL0100-2026101953',
      identifierType: 'frame',
      identifier: f.slice(0, at) + LOOKALIKE_OF[f[at]] + f.slice(at + 1),
      brand: blurred.brand ?? undefined,
      category: blurred.category,
      description: 'Framenummer overgenomen van een onscherpe foto van de eigenaar',
      stolenAt: stolenAt(45),
    });
  }
  // Possible, look-alike: an IMEI typed over with the letter O for a zero (an older phone, since sold).
  const typo = phones.all.find((i) => i !== phone && i.imei!.slice(2).includes('0'));
  if (typo?.imei) {
    reports.push({
      caseNumber: 'PL0100-2026076642',
      identifierType: 'imei',
      identifier: typo.imei.slice(0, 2) + typo.imei.slice(2).replace('0', 'O'),
      brand: typo.brand ?? undefined,
      category: 'phone',
      description: 'IMEI overgenomen van de doos; handgeschreven aangifte',
      stolenAt: stolenAt(100),
    });
  }
  // Possible, containment: only part of a serial number was still readable on the receipt.
  const partial = laptops.all[Math.floor(laptops.all.length / 2)];
  if (partial?.serialNumber) {
    reports.push({
      caseNumber: 'PL0100-2026093388',
      identifierType: 'serial',
      identifier: partial.serialNumber.slice(1, 8),
      brand: partial.brand ?? undefined,
      category: partial.category,
      description: 'Serienummer gedeeltelijk leesbaar op de aankoopbon (7 tekens)',
      stolenAt: stolenAt(50),
    });
  }
  // Reports that match nothing in the register (most of the national feed never does).
  for (let k = 0; k < 8; k++) {
    reports.push({
      caseNumber: `PL01${String(k).padStart(2, '0')}-20260${String(70000 + Math.floor(rnd() * 29999))}`,
      identifierType: 'imei',
      identifier: luhnImei(`35${String(Math.floor(rnd() * 1e12)).padStart(12, '0')}`),
      brand: k % 2 ? 'Samsung' : 'Apple',
      category: 'phone',
      description: 'Zakkenrollerij, telefoon uit jaszak',
      stolenAt: stolenAt(5 + k * 9),
    });
  }
  let hitCount = 0;
  let exactPhoneHit: string | null = null;
  for (const dto of reports) {
    const r = await s.stolen.create(c.police, dto);
    hitCount += r.hits.length;
    if (dto === reports[0]) exactPhoneHit = r.hits.find((h) => h.item?.id === phone.id)?.id ?? null;
  }

  // The exact phone hit is being investigated, and the line is on hold at Telefoonhuis Stadskanaal.
  let holds = 0;
  if (exactPhoneHit) {
    await s.hits.update(c.police, exactPhoneHit, {
      status: 'investigating',
      note: 'Aangever herkent het toestel aan het IMEI; aankoopbon opgevraagd. Blokkade geplaatst, handelaar nog niet benaderd.',
    });
    if (phones.inStock.includes(phone)) {
      await s.holds.place(c.police, phone.id, {
        caseNumber: reports[0].caseNumber,
        reason: 'IMEI komt overeen met aangifte woninginbraak; toestel in bewaring houden',
      });
      holds = 1;
    }
  }

  // A watchlist on a seller suspected of fencing, then he sells a phone at Telefoonhuis: an alert.
  await s.watchlists.create(c.police, {
    kind: 'seller_document',
    value: WATCHED_SELLER.idDocument.number,
    note: 'Verdacht van heling (zaak PL0100-2026090025); melden bij elke inkoop',
  });
  await s.watchlists.create(c.police, {
    kind: 'brand_model',
    brand: 'Stella',
    model: 'Vicenza',
    note: 'Reeks diefstallen e-bikes uit schuren in Oldambt',
  });
  const acquiredAt = new Date(Date.now() - 2 * 3_600_000);
  await s.acquisitions.register(
    c.owners.telefoonhuis,
    plainToInstance(CreateAcquisitionDto, {
      acquiredAt: new Date(acquiredAt.getTime() - (acquiredAt.getTime() % 60_000)).toISOString(),
      acquisitionType: 'purchase',
      paymentMethod: 'cash',
      seller: WATCHED_SELLER,
      items: [
        {
          category: 'phone',
          brand: 'Samsung',
          model: 'Galaxy S23',
          colour: 'zwart',
          priceCents: 21000,
          imei: luhnImei('35489621' + String(Math.floor(rnd() * 1e6)).padStart(6, '0')),
        },
      ],
    }),
  );

  // Dealer reports (R17): a refused offer, and a line the dealer itself doubts.
  await s.dealerReports.create(c.owners.rijwiel, {
    kind: 'refused_offer',
    brand: 'Stella',
    model: 'Livorno',
    description:
      'Man (ca. 25 jaar, donkere jas) bood twee nieuwe e-bikes aan zonder sleutels en zonder accu-lader; wilde alleen contant. Aanbod geweigerd, hij reed weg richting Blauwestad.',
  });
  const doubted = (await lines(c.owners.goudwisselkantoor.dealerId, 'serialNumber')).all[0];
  await s.dealerReports.create(c.owners.goudwisselkantoor, {
    kind: doubted ? 'suspected_stolen' : 'refused_offer',
    itemId: doubted?.id,
    brand: doubted?.brand ?? undefined,
    model: doubted?.model ?? undefined,
    identifier: doubted?.serialNumber ?? undefined,
    description:
      'Verkoper kwam een week later terug met een tweede horloge en wist de merknaam niet; inkoop achteraf verdacht.',
  });
  return { reports: reports.length, hits: hitCount, holds, watchlists: 2, dealerReports: 2 };
}
