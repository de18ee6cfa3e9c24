import { createHash } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Text that is already in canonical form (for example a version's stored snapshot): written into
 * the canonical JSON of a larger value as it is, without parsing and serialising it again.
 */
export class CanonicalText {
  constructor(readonly text: string) {}
}

/**
 * The canonical form that the hash chain commits to (R11): JSON with object keys sorted, no
 * whitespace, `undefined` members dropped, Dates as ISO 8601 UTC strings. Equal data gives equal
 * bytes, whatever the order in which it was assembled. Written in one pass as text.
 */
export function canonicalJson(value: unknown): string {
  return write(value);
}

/**
 * Keys sorted, in the order in which JSON.stringify writes an object built in sorted order (the
 * form of every event written so far): keys that are array indices first, ascending by number.
 */
function sortedKeys(value: object): string[] {
  // `__proto__` never survived `out[key] = …` in the first implementation: it is left out.
  const keys = Object.keys(value)
    .filter((k) => k !== '__proto__')
    .sort();
  const indices = keys.filter((k) => /^(0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295);
  if (!indices.length) return keys;
  return [
    ...indices.sort((a, b) => Number(a) - Number(b)),
    ...keys.filter((k) => !indices.includes(k)),
  ];
}

function write(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof CanonicalText) return value.text;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : write(v))).join(',')}]`;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: numbers must be finite');
      return JSON.stringify(value);
    case 'object': {
      const parts: string[] = [];
      for (const key of sortedKeys(value)) {
        const v = (value as Record<string, unknown>)[key];
        if (v !== undefined) parts.push(`${JSON.stringify(key)}:${write(v)}`);
      }
      return `{${parts.join(',')}}`;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      break;
  }
  throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
}

export function sha256Hex(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p, 'utf8');
  return h.digest('hex');
}

/** hash = SHA-256(previousHash ‖ canonical event) */
export function chainHash(prevHash: string, canonicalEvent: string): string {
  return sha256Hex(prevHash, canonicalEvent);
}
