import type { Role } from '../common/roles';
import type { Category } from '../dealers/dealer.entity';

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
