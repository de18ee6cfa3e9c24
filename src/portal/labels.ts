import type { AcquisitionType, PaymentMethod } from '../acquisitions/acquisition.entity';
import type { LineStatus } from '../acquisitions/dto/acquisition.dto';
import type { IdentifierAbsent } from '../acquisitions/item.entity';
import type { Role } from '../common/roles';
import type { Category } from '../dealers/dealer.entity';
import type { DisposalKind, Violation } from '../disposals/disposal.entity';
import type { ImportStatus } from '../imports/import-job.entity';
import type { IdDocumentType } from '../sellers/seller.entity';

export const ROLE_LABELS: Record<Role, string> = {
  dealer: 'Opkoper (eigenaar)',
  dealer_staff: 'Medewerker opkoper',
  police: 'Politie',
  boa: 'Handhaver (boa)',
  municipality: 'Gemeente',
  admin: 'Beheerder',
};

export const CATEGORY_LABELS: Record<Category, string> = {
  phone: 'Telefoons',
  laptop: 'Laptops',
  tablet: 'Tablets',
  computer: 'Computers',
  camera: 'Camera’s',
  audio_video: 'Audio en video',
  gaming: 'Spelcomputers',
  tools: 'Gereedschap',
  watch: 'Horloges',
  bicycle: 'Fietsen',
  ebike: 'E-bikes',
  vehicle_part: 'Voertuigonderdelen',
  jewellery: 'Sieraden',
  precious_metal: 'Edelmetaal',
  other: 'Overig',
};

const DATE_TIME = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** Times are stored in UTC and shown in Europe/Amsterdam. */
export function formatDateTime(value: string | Date): string {
  return DATE_TIME.format(typeof value === 'string' ? new Date(value) : value);
}

/** One line's category (the plural labels above name what a dealer trades in). */
export const CATEGORY_SINGULAR: Record<Category, string> = {
  phone: 'Telefoon',
  laptop: 'Laptop',
  tablet: 'Tablet',
  computer: 'Computer',
  camera: 'Camera',
  audio_video: 'Audio/video',
  gaming: 'Spelcomputer',
  tools: 'Gereedschap',
  watch: 'Horloge',
  bicycle: 'Fiets',
  ebike: 'E-bike',
  vehicle_part: 'Voertuigonderdeel',
  jewellery: 'Sieraad',
  precious_metal: 'Edelmetaal',
  other: 'Overig',
};

export const ACQUISITION_TYPE_LABELS: Record<AcquisitionType, string> = {
  purchase: 'Aankoop',
  trade_in: 'Inruil',
  voucher: 'Tegen tegoedbon',
  gift: 'Geschonken',
  pawn: 'In pand (belening)',
  consignment: 'In consignatie',
};

export const PAYMENT_LABELS: Record<PaymentMethod, string> = {
  cash: 'Contant',
  pin: 'Pin',
  bank_transfer: 'Bankoverschrijving',
  other: 'Anders',
};

export const ID_TYPE_LABELS: Record<IdDocumentType, string> = {
  passport: 'Paspoort',
  id_card: 'Identiteitskaart',
  driving_licence: 'Rijbewijs',
  residence_permit: 'Verblijfsdocument',
};

export const IDENTIFIER_ABSENT_LABELS: Record<IdentifierAbsent, string> = {
  removed: 'Verwijderd',
  unreadable: 'Onleesbaar',
  never_had: 'Heeft nooit een nummer gehad',
};

export const DISPOSAL_KIND_LABELS: Record<DisposalKind, string> = {
  sale: 'Verkocht',
  returned_to_seller: 'Teruggegeven aan de verkoper',
  melted: 'Omgesmolten',
  destroyed: 'Vernietigd',
  lost: 'Verloren',
  seized_by_police: 'In beslag genomen door de politie',
};

export const LINE_STATUS_LABELS: Record<LineStatus, string> = {
  in_stock: 'In voorraad',
  disposed: 'Verkocht of afgevoerd',
  voided: 'Ongeldig',
  on_hold: 'Politieonderzoek',
};

export const IMPORT_STATUS_LABELS: Record<ImportStatus, string> = {
  queued: 'In de wachtrij',
  running: 'Bezig',
  done: 'Klaar',
  failed: 'Niet geïmporteerd',
};

/** R9 violations as the dealer reads them on the line. */
export function violationLabel(v: Violation, kind: string): string {
  const verb = kind === 'sale' ? 'Verkocht' : 'Afgevoerd';
  switch (v) {
    case 'holding_period':
      return `${verb} binnen de bewaartermijn`;
    case 'police_hold':
      return `${verb} tijdens politieonderzoek`;
  }
}

const SHORT_DATE_TIME = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

const DAY_DATE_TIME = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** "02-04-2026 14:30" — compact, for tables. */
export function formatShortDateTime(value: string | Date): string {
  return SHORT_DATE_TIME.format(typeof value === 'string' ? new Date(value) : value).replace(
    ',',
    '',
  );
}

/** "za 11 apr 2026, 00:00" — for "Verkoopbaar vanaf", where the weekday helps at the counter. */
export function formatDayDateTime(value: string | Date): string {
  return DAY_DATE_TIME.format(typeof value === 'string' ? new Date(value) : value);
}

/** A calendar date YYYY-MM-DD as the Dutch write it: 17-05-1980. */
export function formatIsoDate(isoDate: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate ?? '');
  return m ? `${m[3]}-${m[2]}-${m[1]}` : (isoDate ?? '');
}
