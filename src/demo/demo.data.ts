import type { Category } from '../dealers/dealer.entity';
import type { Role } from '../common/roles';

/** The demo data set (PORTAL.md "Demo"): the three municipalities of one police team. */
export const DEMO_PASSWORD = 'demo-wachtwoord-2026';

export const DEMO_MUNICIPALITIES = [
  { code: 'GM0037', name: 'Stadskanaal' },
  { code: 'GM1895', name: 'Oldambt' },
  { code: 'GM1950', name: 'Westerwolde' },
];

export interface DemoDealer {
  key: string;
  companyName: string;
  kvkNumber: string;
  street: string;
  houseNumber: string;
  postalCode: string;
  city: string;
  municipalityCode: string;
  categories: Category[];
  status: 'active' | 'pending';
}

export const DEMO_DEALERS: DemoDealer[] = [
  {
    key: 'telefoonhuis',
    companyName: 'Telefoonhuis Stadskanaal',
    kvkNumber: '01234567',
    street: 'Hoofdstraat',
    houseNumber: '41',
    postalCode: '9501 CM',
    city: 'Stadskanaal',
    municipalityCode: 'GM0037',
    categories: ['phone', 'tablet', 'laptop', 'gaming'],
    status: 'active',
  },
  {
    key: 'goudwisselkantoor',
    companyName: 'Goud & Zilver Kanaalstreek',
    kvkNumber: '02345678',
    street: 'Navolaan',
    houseNumber: '7',
    postalCode: '9501 AB',
    city: 'Stadskanaal',
    municipalityCode: 'GM0037',
    categories: ['jewellery', 'precious_metal', 'watch'],
    status: 'active',
  },
  {
    key: 'rijwiel',
    companyName: 'Rijwielhandel Oldambt',
    kvkNumber: '03456789',
    street: 'Langestraat',
    houseNumber: '12',
    postalCode: '9671 PG',
    city: 'Winschoten',
    municipalityCode: 'GM1895',
    categories: ['bicycle', 'ebike', 'tools'],
    status: 'active',
  },
  {
    key: 'kringloop',
    companyName: 'Kringloop Westerwolde',
    kvkNumber: '04567890',
    street: 'Stationsstraat',
    houseNumber: '3a',
    postalCode: '9541 BM',
    city: 'Vlagtwedde',
    municipalityCode: 'GM1950',
    categories: ['audio_video', 'tools', 'camera', 'other'],
    status: 'active',
  },
  {
    key: 'pandjeshuis',
    companyName: 'Pand & Lening Musselkanaal',
    kvkNumber: '05678901',
    street: 'Kerkstraat',
    houseNumber: '88',
    postalCode: '9581 AK',
    city: 'Musselkanaal',
    municipalityCode: 'GM0037',
    categories: ['phone', 'jewellery', 'gaming', 'laptop'],
    status: 'pending',
  },
];

export interface DemoUser {
  email: string;
  name: string;
  role: Role;
  dealerKey?: string;
  municipalityCode?: string;
}

export const DEMO_USERS: DemoUser[] = [
  { email: 'beheer@dor.example', name: 'Beheerder DOR', role: 'admin' },
  { email: 'politie@dor.example', name: 'Rechercheur Van Dijk', role: 'police' },
  {
    email: 'gemeente@stadskanaal.example',
    name: 'Marloes Bakker (OOV Stadskanaal)',
    role: 'municipality',
    municipalityCode: 'GM0037',
  },
  {
    email: 'gemeente@oldambt.example',
    name: 'Henk Pieters (OOV Oldambt)',
    role: 'municipality',
    municipalityCode: 'GM1895',
  },
  {
    email: 'boa@stadskanaal.example',
    name: 'Boa Stadskanaal',
    role: 'boa',
    municipalityCode: 'GM0037',
  },
  {
    email: 'eigenaar@telefoonhuis.example',
    name: 'Sanne Hoekstra',
    role: 'dealer',
    dealerKey: 'telefoonhuis',
  },
  {
    email: 'balie@telefoonhuis.example',
    name: 'Daan Smit',
    role: 'dealer_staff',
    dealerKey: 'telefoonhuis',
  },
  {
    email: 'eigenaar@goudzilver.example',
    name: 'Ahmet Yilmaz',
    role: 'dealer',
    dealerKey: 'goudwisselkantoor',
  },
  {
    email: 'eigenaar@rijwieloldambt.example',
    name: 'Jan Mulder',
    role: 'dealer',
    dealerKey: 'rijwiel',
  },
  {
    email: 'eigenaar@kringloopww.example',
    name: 'Petra de Boer',
    role: 'dealer',
    dealerKey: 'kringloop',
  },
  {
    email: 'eigenaar@pandlening.example',
    name: 'Kees Visser',
    role: 'dealer',
    dealerKey: 'pandjeshuis',
  },
];
