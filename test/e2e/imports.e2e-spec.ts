import { DataSource } from 'typeorm';
import { ImportJob } from '../../src/imports/import-job.entity';
import { ImportsService } from '../../src/imports/imports.service';
import { createTestApp, type TestApp } from '../support/app';
import { bearer, makeDealer, makeMunicipality, nextImei } from '../support/factories';

const HEADER =
  'externalRef,acquiredAt,acquisitionType,paymentMethod,sellerLastName,sellerFirstNames,sellerDateOfBirth,sellerStreet,sellerHouseNumber,sellerPostalCode,sellerCity,sellerCountry,idType,idNumber,idCountry,category,brand,model,imei,imei2,serialNumber,frameNumber,vin,identifierAbsent,description,colour,material,fineness,weightGrams,priceCents';

function row(
  ref: string,
  item: Partial<
    Record<
      | 'category'
      | 'brand'
      | 'model'
      | 'imei'
      | 'serialNumber'
      | 'frameNumber'
      | 'description'
      | 'material'
      | 'fineness'
      | 'weightGrams'
      | 'priceCents',
      string
    >
  >,
  seller: Partial<Record<string, string>> = {},
) {
  const s = {
    last: 'de Vries',
    first: 'Anna',
    dob: '1975-03-09',
    street: 'Kerkstraat',
    nr: '4',
    pc: '9501 CD',
    city: 'Stadskanaal',
    ...seller,
  };
  return [
    ref,
    '2026-05-04T10:15:00+02:00',
    'purchase',
    'cash',
    `"${s.last}"`,
    s.first,
    s.dob,
    s.street,
    s.nr,
    s.pc,
    s.city,
    'NL',
    'passport',
    'NW9K4L7P2',
    'NL',
    item.category ?? 'phone',
    item.brand ?? '',
    item.model ?? '',
    item.imei ?? '',
    '',
    item.serialNumber ?? '',
    item.frameNumber ?? '',
    '',
    '',
    `"${(item.description ?? '').replace(/"/g, '""')}"`,
    '',
    item.material ?? '',
    item.fineness ?? '',
    `"${item.weightGrams ?? ''}"`,
    item.priceCents ?? '1000',
  ].join(',');
}

describe('CSV import (API.md "imports")', () => {
  let t: TestApp;
  let owner: string;
  let imports: ImportsService;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    owner = await bearer(t, (await makeDealer(t)).ownerEmail);
    imports = t.app.get(ImportsService);
  });
  afterAll(() => t.close());

  const upload = (csv: string, name = 'kassa.csv') =>
    t.http
      .post('/api/v1/imports')
      .set('Authorization', owner)
      .attach('file', Buffer.from(csv, 'utf8'), name);
  const count = async () =>
    (await t.http.get('/api/v1/acquisitions').set('Authorization', owner).expect(200)).body
      .total as number;

  it('imports a valid file: rows with the same externalRef form one acquisition; progress and result are readable', async () => {
    const csv = [
      HEADER,
      row('KASSA-1', {
        category: 'phone',
        brand: 'Samsung',
        model: 'Galaxy S21',
        imei: nextImei(),
        priceCents: '15000',
      }),
      row('KASSA-1', {
        category: 'jewellery',
        description: 'gouden ring, "R" gegraveerd',
        material: 'goud',
        fineness: '585',
        weightGrams: '3,2',
        priceCents: '9000',
      }),
      row(
        'KASSA-2',
        { category: 'bicycle', brand: 'Gazelle', frameNumber: 'GZ123456789', priceCents: '12000' },
        { last: 'Bos' },
      ),
    ].join('\r\n');
    const res = await upload(csv).expect(202);
    expect(res.body).toEqual({ id: expect.any(String) });
    const done = await imports.whenDone(res.body.id);
    expect(done).toMatchObject({ status: 'done', total: 3, processed: 3, created: 3, errors: [] });
    const api = await t.http
      .get(`/api/v1/imports/${res.body.id}`)
      .set('Authorization', owner)
      .expect(200);
    expect(api.body).toMatchObject({
      status: 'done',
      total: 3,
      processed: 3,
      created: 3,
      errors: [],
    });
    const list = await t.http
      .get('/api/v1/acquisitions?q=KASSA-1')
      .set('Authorization', owner)
      .expect(200);
    expect(list.body.items[0].items).toHaveLength(2);
    expect(list.body.items[0].items[1]).toMatchObject({
      category: 'jewellery',
      weightGrams: 3.2,
      description: 'gouden ring, "R" gegraveerd',
    });
  });

  it('a file with any invalid row imports nothing and lists every error with its line (header = line 1)', async () => {
    const before = await count();
    const csv = [
      HEADER,
      row('BAD-1', { category: 'phone', imei: nextImei() }),
      row('BAD-2', { category: 'phone', imei: '356938035643800' }),
      row('BAD-3', { category: 'jewellery', description: 'ketting' }),
      row('BAD-4', { category: 'laptop', serialNumber: 'C02XK0AAJGH5' }, { dob: '2015-01-01' }),
    ].join('\n');
    const res = await upload(csv).expect(202);
    const done = await imports.whenDone(res.body.id);
    expect(done.status).toBe('failed');
    expect(done.created).toBe(0);
    expect(done.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, field: 'imei', code: 'INVALID_IMEI' }),
        expect.objectContaining({ line: 4, field: 'material' }),
        expect.objectContaining({ line: 4, field: 'weightGrams' }),
        expect.objectContaining({ line: 5, field: 'sellerDateOfBirth' }),
      ]),
    );
    expect(done.errors.every((e) => e.line !== 2)).toBe(true);
    expect(await count()).toBe(before);
  });

  it('reports unknown columns and malformed CSV on their line', async () => {
    const unknown = await imports.whenDone(
      (await upload(`${HEADER},bsn\n${row('X-1', { imei: nextImei() })},123`).expect(202)).body.id,
    );
    expect(unknown).toMatchObject({
      status: 'failed',
      errors: [expect.objectContaining({ line: 1, field: 'bsn' })],
    });
    const broken = await imports.whenDone(
      (await upload(`${HEADER}\n"unterminated,2026`).expect(202)).body.id,
    );
    expect(broken.status).toBe('failed');
    expect(broken.errors[0].message).toMatch(/not valid CSV/);
  });

  it('a re-upload of the same file creates nothing twice', async () => {
    const csv = [HEADER, row('AGAIN-1', { imei: nextImei() })].join('\n');
    await imports.whenDone((await upload(csv).expect(202)).body.id);
    const before = await count();
    const second = await imports.whenDone((await upload(csv).expect(202)).body.id);
    expect(second).toMatchObject({ status: 'done', created: 0 });
    expect(await count()).toBe(before);
  });

  it('refuses a missing file (400), a file over 10 MiB (413), and another dealer’s job (404)', async () => {
    await t.http.post('/api/v1/imports').set('Authorization', owner).field('x', '1').expect(400);
    const big = Buffer.alloc(10 * 1024 * 1024 + 10, 'a');
    await t.http
      .post('/api/v1/imports')
      .set('Authorization', owner)
      .attach('file', big, 'big.csv')
      .expect(413);
    const job = (await upload([HEADER, row('ISO-1', { imei: nextImei() })].join('\n')).expect(202))
      .body.id;
    const other = await bearer(t, (await makeDealer(t)).ownerEmail);
    await t.http.get(`/api/v1/imports/${job}`).set('Authorization', other).expect(404);
  });

  it('a job interrupted by a restart runs again at start and completes (not silently half done)', async () => {
    const dealer = await makeDealer(t);
    const user = (
      await t.app.get(DataSource).query(`SELECT id FROM users WHERE "dealerId" = '${dealer.id}'`)
    )[0].id as string;
    const csv = [
      HEADER,
      row('RESUME-1', { imei: nextImei() }),
      row('RESUME-2', { imei: nextImei() }),
    ].join('\n');
    const jobs = t.app.get(DataSource).getRepository(ImportJob);
    await jobs.insert(
      jobs.create({
        dealerId: dealer.id,
        userId: user,
        fileName: 'x.csv',
        status: 'running',
        total: 2,
        processed: 1,
        created: 0,
        errors: [],
        content: csv,
        finishedAt: null,
      }),
    );
    const job = await t.app
      .get(DataSource)
      .getRepository(ImportJob)
      .findOneByOrFail({ dealerId: dealer.id });
    await t.app.close();
    t = await createTestApp({}, t.dir);
    imports = t.app.get(ImportsService);
    const done = await imports.whenDone(job.id);
    expect(done).toMatchObject({ status: 'done', created: 2 });
    owner = await bearer(t, (await makeDealer(t)).ownerEmail);
  });
});
