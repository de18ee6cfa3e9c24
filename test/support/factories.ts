import { withImeiCheckDigit } from '../../src/acquisitions/identifiers';
import { DataSource } from 'typeorm';
import type { Role } from '../../src/common/roles';
import { DealersService } from '../../src/dealers/dealers.service';
import type { DealerApplicationDto } from '../../src/dealers/dto/dealer.dto';
import { MunicipalitiesService } from '../../src/municipalities/municipalities.service';
import { Municipality } from '../../src/municipalities/municipality.entity';
import { UsersService } from '../../src/users/users.service';
import { PASSWORD, type TestApp } from './app';

let seq = 0;
const next = () => ++seq;

export async function makeMunicipality(
  t: TestApp,
  code: string,
  name = `Gemeente ${code}`,
): Promise<Municipality> {
  await t.app.get(MunicipalitiesService).create({ code, name });
  return t.app.get(DataSource).getRepository(Municipality).findOneByOrFail({ code });
}

export function applicationBody(
  overrides: Partial<DealerApplicationDto> & { contactEmail?: string } = {},
) {
  const n = next();
  const { contactEmail, ...rest } = overrides;
  return {
    companyName: `Opkoper ${n}`,
    kvkNumber: String(10000000 + n * 7919).slice(0, 8),
    address: {
      street: 'Hoofdstraat',
      houseNumber: `${n}`,
      postalCode: '9501 AB',
      city: 'Stadskanaal',
    },
    municipalityCode: 'GM0037',
    categories: ['phone', 'jewellery'],
    contact: {
      name: `Eigenaar ${n}`,
      email: contactEmail ?? `eigenaar${n}@example.test`,
      password: PASSWORD,
    },
    ...rest,
  };
}

export interface MadeDealer {
  id: string;
  ownerEmail: string;
}

/** A dealer through the real application flow; approved unless `status: 'pending'`. */
export async function makeDealer(
  t: TestApp,
  opts: { municipalityCode?: string; status?: 'pending' | 'active' | 'suspended' } = {},
): Promise<MadeDealer> {
  const body = applicationBody({ municipalityCode: opts.municipalityCode ?? 'GM0037' });
  const { dealerId } = await t.app.get(DealersService).apply(body as DealerApplicationDto);
  const admin = {
    id: 'system',
    email: 'system',
    name: 'Test',
    role: 'admin' as const,
    dealerId: null,
    municipalityCode: null,
  };
  if (opts.status !== 'pending') {
    await t.app
      .get(DealersService)
      .changeStatus(admin, dealerId, { status: 'active', reason: 'test approval' });
  }
  if (opts.status === 'suspended') {
    await t.app
      .get(DealersService)
      .changeStatus(admin, dealerId, { status: 'suspended', reason: 'test suspension' });
  }
  return { id: dealerId, ownerEmail: body.contact.email };
}

/** A user of any role; returns its e-mail (password: PASSWORD). */
export async function makeUser(
  t: TestApp,
  role: Role,
  affiliation: { dealerId?: string; municipalityCode?: string } = {},
): Promise<{ id: string; email: string }> {
  const email = `${role}${next()}@example.test`;
  const u = await t.app.get(UsersService).createUser({
    email,
    name: `${role} ${seq}`,
    password: PASSWORD,
    role,
    dealerId: affiliation.dealerId ?? null,
    municipalityCode: affiliation.municipalityCode ?? null,
  });
  return { id: u.id, email };
}

/** Signs in through the API and returns the Authorization header value. */
export async function bearer(t: TestApp, email: string, password = PASSWORD): Promise<string> {
  const res = await t.http.post('/api/v1/auth/login').send({ email, password });
  if (res.status !== 200)
    throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return `Bearer ${(res.body as { accessToken: string }).accessToken}`;
}

/** A valid IMEI: 14 digits and the Luhn check digit. */
export const imeiFrom = withImeiCheckDigit;

let imeiSeq = 0;
export function nextImei(): string {
  return imeiFrom(String(35693803000000 + ++imeiSeq * 7));
}

export const SELLER = {
  lastName: 'Jansen',
  firstNames: 'Piet',
  dateOfBirth: '1980-05-17',
  address: {
    street: 'Hoofdstraat',
    houseNumber: '12a',
    postalCode: '9501 AB',
    city: 'Stadskanaal',
    country: 'NL',
  },
  idDocument: { type: 'id_card', number: 'IXB123456', issuingCountry: 'NL' },
};

/** A valid acquisition body (API.md example shape) with one phone, acquired an hour ago. */
export function acquisitionBody(overrides: Record<string, unknown> = {}) {
  return {
    acquiredAt: new Date(Date.now() - 3_600_000).toISOString(),
    acquisitionType: 'purchase',
    paymentMethod: 'pin',
    seller: SELLER,
    items: [
      {
        category: 'phone',
        brand: 'Apple',
        model: 'iPhone 13',
        imei: nextImei(),
        description: 'zwart, barst in hoek',
        colour: 'zwart',
        priceCents: 25000,
      },
    ],
    ...overrides,
  };
}
