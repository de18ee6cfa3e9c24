import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { CanonicalText, canonicalJson, chainHash } from '../../src/audit/canonical';
import { commitmentOf, last4, SellerCrypto } from '../../src/sellers/seller-crypto';

describe('canonical form of chain events (R11)', () => {
  it('is independent of key order, at every depth', () => {
    const a = { b: 1, a: { y: [1, { d: 2, c: 3 }], x: 'é' } };
    const b = { a: { x: 'é', y: [1, { c: 3, d: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"é","y":[1,{"c":3,"d":2}]},"b":1}');
  });

  it.each([
    ['undefined members are dropped', { a: undefined, b: null }, '{"b":null}'],
    ['undefined in arrays becomes null', [undefined, 1], '[null,1]'],
    [
      'dates are ISO 8601 UTC',
      { at: new Date('2026-04-02T12:30:00+02:00') },
      '{"at":"2026-04-02T10:30:00.000Z"}',
    ],
    [
      'a class instance is its own enumerable fields',
      new (class {
        x = 1;
        y = 'z';
      })(),
      '{"x":1,"y":"z"}',
    ],
    ['booleans and strings as JSON', { t: true, s: 'a"b' }, '{"s":"a\\"b","t":true}'],
  ])('%s', (_l, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it.each([NaN, Infinity, -Infinity])('refuses the number %s (it has no canonical form)', (n) => {
    expect(() => canonicalJson({ n })).toThrow(TypeError);
  });

  it('refuses functions, symbols and bigints', () => {
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson({ s: Symbol('x') })).toThrow(TypeError);
    expect(() => canonicalJson({ b: 1n })).toThrow(TypeError);
  });

  it('gives the same bytes as sorting keys and then JSON.stringify (the form every stored event was written in)', () => {
    // The reference: the first implementation, kept here as the oracle for the one-pass writer.
    const reference = (v: unknown): unknown => {
      if (v === null || v === undefined) return null;
      if (v instanceof Date) return v.toISOString();
      if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : reference(x)));
      if (typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v).sort())
          if ((v as Record<string, unknown>)[k] !== undefined)
            out[k] = reference((v as Record<string, unknown>)[k]);
        return out;
      }
      return v;
    };
    const leaf = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.date({ noInvalidDate: true }),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node')),
        fc.dictionary(fc.string(), tie('node')),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => canonicalJson(v) === JSON.stringify(reference(v) ?? null)),
      { numRuns: 2000 },
    );
  });

  it('writes text that is already canonical as it is', () => {
    const snapshot = canonicalJson({ b: [1, 'x'], a: { d: null, c: true } });
    expect(canonicalJson({ z: 1, snapshot: new CanonicalText(snapshot) })).toBe(
      canonicalJson({ z: 1, snapshot: JSON.parse(snapshot) as unknown }),
    );
  });

  it('hash = SHA-256(previousHash ‖ canonical event)', () => {
    const prev = '0'.repeat(64);
    const event = canonicalJson({ type: 'acquisition', seq: 1 });
    expect(chainHash(prev, event)).toBe(
      createHash('sha256')
        .update(prev + event)
        .digest('hex'),
    );
    expect(chainHash(prev, event)).not.toBe(chainHash('1'.repeat(64), event));
  });
});

describe('seller data protection (R6, R20)', () => {
  const crypto = new SellerCrypto(Buffer.alloc(32, 1));

  it('encrypts with AES-256-GCM: a fresh IV each time, decrypts back, refuses tampering and other keys', () => {
    const a = crypto.encrypt('IXB123456');
    const b = crypto.encrypt('IXB123456');
    expect(a).not.toBe(b);
    expect(a).not.toContain('IXB123456');
    expect(crypto.decrypt(a)).toBe('IXB123456');
    const raw = Buffer.from(a, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => crypto.decrypt(raw.toString('base64'))).toThrow();
    expect(() => new SellerCrypto(Buffer.alloc(32, 2)).decrypt(a)).toThrow();
  });

  it('the blind index finds a document however it was typed, and differs per type, country and key', () => {
    const idx = crypto.documentIndex('id_card', 'NL', 'IXB123456');
    expect(crypto.documentIndex('id_card', 'nl', 'ixb-123 456')).toBe(idx);
    expect(crypto.documentIndex('passport', 'NL', 'IXB123456')).not.toBe(idx);
    expect(crypto.documentIndex('id_card', 'BE', 'IXB123456')).not.toBe(idx);
    expect(
      new SellerCrypto(Buffer.alloc(32, 2)).documentIndex('id_card', 'NL', 'IXB123456'),
    ).not.toBe(idx);
    expect(idx).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a commitment binds the data (any change shows) and depends on the salt', () => {
    const data = { lastName: 'Jansen', idNumber: 'IXB123456' };
    const c = commitmentOf('aa', data);
    expect(commitmentOf('aa', { idNumber: 'IXB123456', lastName: 'Jansen' })).toBe(c);
    expect(commitmentOf('aa', { ...data, lastName: 'Janssen' })).not.toBe(c);
    expect(commitmentOf('ab', data)).not.toBe(c);
  });

  it('a dealer sees only the last 4 characters', () => {
    expect(last4('IXB123456')).toBe('3456');
    expect(last4('ixb-12 3456')).toBe('3456');
  });
});
