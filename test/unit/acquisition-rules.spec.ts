import { itemProblems } from '../../src/acquisitions/acquisition-rules';
import type { ItemDto } from '../../src/acquisitions/dto/acquisition.dto';

/** R5, category by category, written out from DOMAIN.md's table (not from the code's own table). */
const SPEC: [string, string[]][] = [
  ['phone', ['imei']],
  ['laptop', ['serialNumber']],
  ['tablet', ['serialNumber']],
  ['computer', ['serialNumber']],
  ['camera', ['serialNumber']],
  ['audio_video', ['serialNumber']],
  ['gaming', ['serialNumber']],
  ['tools', ['serialNumber']],
  ['watch', ['serialNumber']],
  ['bicycle', ['frameNumber']],
  ['ebike', ['frameNumber']],
  ['vehicle_part', ['serialNumber', 'vin']],
];
const VALUES: Record<string, string> = {
  imei: '356938035643809',
  serialNumber: 'SN-4471-XK',
  frameNumber: 'WGZ12345678',
  vin: '1HGCM82633A004352',
};
const codes = (item: Partial<ItemDto>) =>
  itemProblems({ priceCents: 100, ...item } as ItemDto, 'items[0]').map(
    (p) => `${p.path}:${p.code}`,
  );

describe('R5 identifiers per category', () => {
  it.each(SPEC)(
    'a %s without any identifier is refused on its required field; each accepted identifier is enough',
    (category, fields) => {
      expect(codes({ category: category as ItemDto['category'] })).toContain(
        `items[0].${fields[0]}:IDENTIFIER_REQUIRED`,
      );
      for (const f of fields)
        expect(
          codes({ category: category as ItemDto['category'], [f]: VALUES[f] }).filter((c) =>
            c.endsWith('IDENTIFIER_REQUIRED'),
          ),
        ).toEqual([]);
      // Removed or unreadable instead: accepted (and suspicious), but not together with the identifier.
      expect(
        codes({ category: category as ItemDto['category'], identifierAbsent: 'removed' }),
      ).toEqual([]);
      expect(
        codes({
          category: category as ItemDto['category'],
          [fields[0]]: VALUES[fields[0]],
          identifierAbsent: 'removed',
        }),
      ).toContain('items[0].identifierAbsent:IDENTIFIER_CONTRADICTION');
    },
  );

  it.each(['jewellery', 'precious_metal'])(
    '%s needs no identifier but material, weight and a description',
    (category) => {
      expect(codes({ category: category as ItemDto['category'] })).toEqual(
        expect.arrayContaining([
          'items[0].material:MATERIAL_REQUIRED',
          'items[0].weightGrams:WEIGHT_REQUIRED',
          'items[0].description:DESCRIPTION_REQUIRED',
        ]),
      );
      expect(
        codes({
          category: category as ItemDto['category'],
          material: 'goud',
          weightGrams: 3.2,
          description: 'gouden ring',
        }),
      ).toEqual([]);
    },
  );

  it('other needs a description', () => {
    expect(codes({ category: 'other' })).toContain('items[0].description:DESCRIPTION_REQUIRED');
    expect(codes({ category: 'other', description: 'grasmaaier' })).toEqual([]);
  });
});
