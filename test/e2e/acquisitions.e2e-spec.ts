import { createTestApp, type TestApp } from '../support/app';
import {
  acquisitionBody,
  bearer,
  makeDealer,
  makeMunicipality,
  nextImei,
} from '../support/factories';

describe('acquisitions (R3–R7)', () => {
  let t: TestApp;
  let dealer: { id: string; ownerEmail: string };
  let auth: string;

  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    dealer = await makeDealer(t);
    auth = await bearer(t, dealer.ownerEmail);
  });
  afterAll(() => t.close());

  const post = (body: object, who = auth) =>
    t.http.post('/api/v1/acquisitions').set('Authorization', who).send(body);

  it('registers an acquisition with consecutive register numbers and sellableFrom', async () => {
    const res = await post(
      acquisitionBody({
        items: [
          {
            category: 'phone',
            brand: 'Apple',
            model: 'iPhone 13',
            imei: nextImei(),
            priceCents: 25000,
          },
          {
            category: 'jewellery',
            material: 'goud',
            fineness: '585',
            weightGrams: 3.2,
            description: 'ring met steen',
            priceCents: 9000,
          },
        ],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.items.map((i: { registerNumber: number }) => i.registerNumber)).toEqual([1, 2]);
    expect(res.body.seller.idDocument).toEqual({
      type: 'id_card',
      numberLast4: '3456',
      issuingCountry: 'NL',
    });
    expect(JSON.stringify(res.body)).not.toContain('IXB123456');
  });
});
