import {
  acquisitionToPlain,
  amsterdamLocalParts,
  amsterdamLocalToIso,
  emptyAcquisitionForm,
  fieldOfPath,
  formAction,
  formatDecimal,
  formatEuro,
  parseDecimal,
  parseEuro,
  problemsToForm,
  readAcquisitionForm,
  toIsoDate,
} from '../../src/portal/acquisition-form';

describe('the portal’s acquisition form ↔ the API’s DTOs (pure functions)', () => {
  describe('parseEuro: an amount as a Dutch person types it → cents', () => {
    it.each([
      ['250', 25000],
      ['250,00', 25000],
      ['250,5', 25050],
      ['0,99', 99],
      ['1.234,56', 123456],
      ['1.234', 123400],
      ['12.345.678,90', 1234567890],
      ['€ 12,50', 1250],
      ['€12,-', 1200],
      [' 45 ', 4500],
      ['250.00', 25000],
      ['7.5', 750],
      ['0', 0],
    ])('"%s" → %i', (input, cents) => expect(parseEuro(input)).toBe(cents));

    it.each(['', 'gratis', '-5', '1,234', '12,345', '1.23.4', '2,5,0', '1.2345', '€'])(
      '"%s" is not an amount',
      (input) => expect(parseEuro(input)).toBeNull(),
    );

    it('formats cents back the Dutch way, and the two round-trip', () => {
      expect(formatEuro(123456)).toBe('1.234,56');
      expect(formatEuro(25000)).toBe('250,00');
      expect(formatEuro(5)).toBe('0,05');
      expect(formatEuro(100_000_000)).toBe('1.000.000,00');
      for (const cents of [0, 1, 99, 100, 25050, 123456, 99_999_999])
        expect(parseEuro(formatEuro(cents))).toBe(cents);
    });
  });

  describe('parseDecimal: grams with a decimal comma (or a scale’s decimal point)', () => {
    it.each([
      ['3,2', 3.2],
      ['3.2', 3.2],
      ['3,20', 3.2],
      ['0,125', 0.125],
      ['12', 12],
      ['1.234,5', 1234.5],
      [' 3,2 ', 3.2],
    ])('"%s" → %d', (input, grams) => expect(parseDecimal(input)).toBe(grams));

    it.each(['', 'drie', '3,2,1', '-1', '3,2 g'])('"%s" is not a number', (input) =>
      expect(parseDecimal(input)).toBeNull(),
    );

    it('formats with a comma', () => {
      expect(formatDecimal(3.2)).toBe('3,2');
      expect(formatDecimal(12)).toBe('12');
    });
  });

  describe('amsterdamLocalToIso: a date and time on a clock in Amsterdam → an instant with its offset', () => {
    it.each([
      // winter time (CET, +01:00) and summer time (CEST, +02:00)
      ['2026-01-15', '14:30', '2026-01-15T14:30:00+01:00', '2026-01-15T13:30:00.000Z'],
      ['2026-07-01', '09:05', '2026-07-01T09:05:00+02:00', '2026-07-01T07:05:00.000Z'],
      ['2026-12-31', '23:59', '2026-12-31T23:59:00+01:00', '2026-12-31T22:59:00.000Z'],
      ['2026-03-29', '00:00', '2026-03-29T00:00:00+01:00', '2026-03-28T23:00:00.000Z'],
      // the day the clocks go forward: 02:00 → 03:00; 02:30 does not exist and moves forward with the clocks
      ['2026-03-29', '01:59', '2026-03-29T01:59:00+01:00', '2026-03-29T00:59:00.000Z'],
      ['2026-03-29', '02:30', '2026-03-29T03:30:00+02:00', '2026-03-29T01:30:00.000Z'],
      ['2026-03-29', '03:00', '2026-03-29T03:00:00+02:00', '2026-03-29T01:00:00.000Z'],
      // the day the clocks go back: 02:30 happens twice; the first (summer time) is meant
      ['2026-10-25', '02:30', '2026-10-25T02:30:00+02:00', '2026-10-25T00:30:00.000Z'],
      ['2026-10-25', '03:30', '2026-10-25T03:30:00+01:00', '2026-10-25T02:30:00.000Z'],
      // Dutch ways of writing the date and time
      ['2-4-2026', '14.30', '2026-04-02T14:30:00+02:00', '2026-04-02T12:30:00.000Z'],
      ['02/04/2026', '14:30:15', '2026-04-02T14:30:15+02:00', '2026-04-02T12:30:15.000Z'],
    ])('%s %s → %s', (date, time, iso, utc) => {
      const out = amsterdamLocalToIso(date, time);
      expect(out).toBe(iso);
      expect(new Date(out!).toISOString()).toBe(utc);
    });

    it.each([
      ['2026-02-30', '12:00'],
      ['2026-13-01', '12:00'],
      ['', '12:00'],
      ['2026-04-02', ''],
      ['2026-04-02', '24:00'],
      ['2026-04-02', '12:60'],
      ['morgen', '12:00'],
    ])('"%s" "%s" is not a moment', (date, time) =>
      expect(amsterdamLocalToIso(date, time)).toBeNull(),
    );

    it('round-trips with amsterdamLocalParts (what the form shows as "now")', () => {
      for (const iso of [
        '2026-01-15T13:30:00Z',
        '2026-07-01T07:05:00Z',
        '2026-03-29T01:30:00Z',
        '2026-10-25T00:30:00Z',
        '2026-10-25T01:30:00Z',
      ]) {
        const { date, time } = amsterdamLocalParts(new Date(iso));
        const back = new Date(amsterdamLocalToIso(date, time)!);
        // the second 02:30 of 25 October is the one hour a clock cannot name: it reads as the first
        expect(back.getTime() === new Date(iso).getTime() || iso === '2026-10-25T01:30:00Z').toBe(
          true,
        );
      }
      expect(amsterdamLocalParts(new Date('2026-07-01T22:30:00Z'))).toEqual({
        date: '2026-07-02',
        time: '00:30',
      });
    });

    it('reads a date of birth as the Dutch write it', () => {
      expect(toIsoDate('17-05-1980')).toBe('1980-05-17');
      expect(toIsoDate('1980-05-17')).toBe('1980-05-17');
      expect(toIsoDate('29-02-2023')).toBeNull();
    });
  });

  describe('the posted form', () => {
    it('keeps items in their order, renumbered, and builds the DTO body', () => {
      const form = readAcquisitionForm({
        lastName: 'Jansen',
        dateOfBirth: '17-05-1980',
        postalCode: '9501ab',
        country: '',
        idCountry: '',
        acquiredDate: '2026-04-02',
        acquiredTime: '14:30',
        acquisitionType: 'purchase',
        paymentMethod: '',
        'item-5-category': 'jewellery',
        'item-5-weight': '3,2',
        'item-5-price': '1.234,56',
        'item-5-material': ' goud ',
        'item-0-category': 'phone',
        'item-0-imei': '356938035643809',
        'item-0-price': '',
        'item-0-brand': '   ',
      });
      expect(form.items.map((i) => i.category)).toEqual(['phone', 'jewellery']);
      const plain = acquisitionToPlain(form) as {
        acquiredAt: string;
        paymentMethod?: string;
        seller: {
          dateOfBirth: string;
          address: { country: string };
          idDocument: { issuingCountry: string };
        };
        items: Record<string, unknown>[];
      };
      expect(plain.acquiredAt).toBe('2026-04-02T14:30:00+02:00');
      expect(plain.paymentMethod).toBeUndefined();
      expect(plain.seller.dateOfBirth).toBe('1980-05-17');
      expect(plain.seller.address.country).toBe('NL');
      expect(plain.seller.idDocument.issuingCountry).toBe('NL');
      expect(plain.items[0]).toMatchObject({
        category: 'phone',
        imei: '356938035643809',
        brand: undefined,
        priceCents: undefined,
      });
      expect(plain.items[1]).toMatchObject({
        category: 'jewellery',
        weightGrams: 3.2,
        priceCents: 123456,
        material: 'goud',
      });
    });

    it('an unreadable price or weight stays NaN so that validation names the field; a returning seller replaces the seller', () => {
      const form = emptyAcquisitionForm(new Date('2026-04-02T12:30:00Z'));
      expect([form.acquiredDate, form.acquiredTime]).toEqual(['2026-04-02', '14:30']);
      form.items[0] = { ...form.items[0], category: 'jewellery', price: 'gratis', weight: 'drie' };
      form.sellerId = '7f1c3c4e-0000-4000-8000-000000000001';
      const plain = acquisitionToPlain(form) as {
        seller?: unknown;
        sellerId?: string;
        items: { priceCents: number; weightGrams: number }[];
      };
      expect(plain.items[0].priceCents).toBeNaN();
      expect(plain.items[0].weightGrams).toBeNaN();
      expect(plain.seller).toBeUndefined();
      expect(plain.sellerId).toBe(form.sellerId);
    });

    it('tells the submit buttons apart', () => {
      expect(formAction({ action: 'add' })).toEqual({ kind: 'add' });
      expect(formAction({ action: 'remove-2' })).toEqual({ kind: 'remove', index: 2 });
      expect(formAction({ action: 'register' })).toEqual({ kind: 'register' });
      expect(formAction({})).toEqual({ kind: 'register' });
      expect(formAction({ action: 'remove-x' })).toEqual({ kind: 'register' });
    });
  });

  describe('problems → form fields, in Dutch', () => {
    it.each([
      ['items[1].imei', 'item-1-imei'],
      ['items.1.imei', 'item-1-imei'],
      ['items[0].priceCents', 'item-0-price'],
      ['items[2].weightGrams', 'item-2-weight'],
      ['items[0].quantity', 'item-0-category'],
      ['items[3]', 'item-3-category'],
      ['changes.items[0].vin', 'item-0-vin'],
      ['seller.address.postalCode', 'postalCode'],
      ['seller.idDocument.number', 'idNumber'],
      ['seller.idDocument.issuingCountry', 'idCountry'],
      ['seller.dateOfBirth', 'dateOfBirth'],
      ['seller', 'sellerId'],
      ['sellerId', 'sellerId'],
      ['acquiredAt', 'acquiredDate'],
      ['paymentMethod', 'paymentMethod'],
      ['buyer', 'buyerName'],
      ['disposedAt', 'disposedDate'],
    ])('%s → #%s', (path, field) => expect(fieldOfPath(path).field).toBe(field));

    it('names the item in the summary and keeps the first message per field', () => {
      const form = problemsToForm(
        [
          {
            path: 'items[1].imei',
            code: 'INVALID_IMEI',
            message: 'items[1].imei: an IMEI has 15 digits with a valid check digit',
          },
          { path: 'items[1].imei', code: 'IMEI2_WITHOUT_IMEI', message: 'second' },
          { path: 'seller.dateOfBirth', code: 'SELLER_UNDER_AGE', message: 'The seller is 15' },
          {
            path: 'seller.idDocument.number',
            code: 'BSN_NOT_ALLOWED',
            message: 'looks like a BSN',
          },
          {
            path: 'items[0].serialNumber',
            code: 'IDENTIFIER_REQUIRED',
            message: 'a vehicle_part needs serialNumber or vin; …',
          },
          {
            path: 'items[0].weightGrams',
            code: 'INVALID_FIELD',
            message: 'weightGrams must be a number',
          },
        ],
        { itemLabel: (i) => `Artikel ${i + 1}`, minimumSellerAge: 18 },
      );
      expect(form.fieldErrors).toEqual({
        'item-1-imei': 'Een IMEI heeft 15 cijfers met een geldig controlecijfer',
        dateOfBirth: 'De verkoper is jonger dan 18 jaar. Van deze verkoper mag u niet inkopen.',
        idNumber:
          'Dit lijkt een burgerservicenummer (BSN). Vul het documentnummer in, nooit het BSN',
        'item-0-serialNumber': 'Vul het serienummer of het VIN in, of kies waarom het ontbreekt',
        'item-0-weight': 'Vul het gewicht in gram in, bijvoorbeeld 3,2',
      });
      expect(form.errors[0]).toEqual({
        field: 'item-1-imei',
        message: 'Artikel 2: Een IMEI heeft 15 cijfers met een geldig controlecijfer',
      });
      expect(form.errors[1]).toEqual({
        field: 'dateOfBirth',
        message: 'De verkoper is jonger dan 18 jaar. Van deze verkoper mag u niet inkopen.',
      });
    });
  });
});
