import { PG_ITEM_TEXT } from '../../migrations/1764500000000-Police';

/**
 * The SQL of the search indexes (see the Police migration): one question, two engines. Values are
 * folded identifier keys (A–Z, 0–9 only) or sanitised words, and are always bound as parameters.
 */
export interface KeyQuestion {
  /** Keys containing one of these (each ≥ 6 characters). */
  contains: string[];
  /** Keys equal to one of these. */
  equals: string[];
}

export type Dialect = 'sqlite' | 'postgres';

let seq = 0;
const param = (prefix: string) => `${prefix}${(seq = (seq + 1) % 1_000_000)}`;

/**
 * A WHERE condition on `item_keys` (alias `k`): a line key containing V is a suffix starting with V
 * (SQLite: the range [V, V + "[") — "[" sorts right after "Z" — PostgreSQL: LIKE 'V%' on a
 * pattern-ops index); a key equal to V is the whole key V.
 */
export function itemKeyCondition(
  dialect: Dialect,
  k: string,
  q: KeyQuestion,
): { sql: string; params: Record<string, unknown> } | null {
  const params: Record<string, unknown> = {};
  const terms = q.contains.map((c) => {
    if (dialect === 'sqlite') {
      const lo = param('lo');
      const hi = param('hi');
      params[lo] = c;
      params[hi] = `${c}[`;
      return `(${k}.suffix >= :${lo} AND ${k}.suffix < :${hi})`;
    }
    const p = param('p');
    params[p] = `${c}%`;
    return `${k}.suffix LIKE :${p}`;
  });
  if (q.equals.length) {
    const e = param('eq');
    const w = param('w');
    params[e] = q.equals;
    params[w] = true;
    terms.push(`(${k}.suffix IN (:...${e}) AND ${k}.whole = :${w})`);
  }
  return terms.length ? { sql: `(${terms.join(' OR ')})`, params } : null;
}

/** Stolen reports (alias) whose key contains one of these values (each ≥ 6): FTS5 trigram on SQLite, pg_trgm on PostgreSQL. */
export function reportContainsCondition(
  dialect: Dialect,
  alias: string,
  values: string[],
): { sql: string; params: Record<string, string> } | null {
  if (!values.length) return null;
  if (dialect === 'sqlite') {
    const p = param('m');
    return {
      sql: `${alias}.rowid IN (SELECT rowid FROM stolen_keys_fts WHERE stolen_keys_fts MATCH :${p})`,
      params: { [p]: values.map((v) => `"${v}"`).join(' OR ') },
    };
  }
  const params: Record<string, string> = {};
  const likes = values.map((v) => {
    const p = param('k');
    params[p] = `%${v}%`;
    return `${alias}."searchKey" LIKE :${p}`;
  });
  return { sql: `(${likes.join(' OR ')})`, params };
}

/**
 * Words of a free-text question: letters and digits only, at most 8, each at least 2 long. Accents
 * on Latin letters are dropped ("zílvér" → "zilver"), as SQLite's index does on both sides
 * (remove_diacritics); PostgreSQL's 'simple' index keeps them, so there an accented question
 * would otherwise miss the plain spelling most descriptions use.
 */
export function wordsOf(text: string): string[] {
  const plain = text
    .normalize('NFKD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFKC')
    .toLowerCase();
  return [...new Set((plain.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 2))].slice(
    0,
    8,
  );
}

/** Lines of `alias` (items) whose brand, model or description hold every word (as a word prefix). */
export function textCondition(
  dialect: Dialect,
  alias: string,
  words: string[],
): { sql: string; params: Record<string, string> } | null {
  if (!words.length) return null;
  const p = param('t');
  if (dialect === 'sqlite') {
    return {
      sql: `${alias}.rowid IN (SELECT rowid FROM items_text_fts WHERE items_text_fts MATCH :${p})`,
      params: { [p]: words.map((w) => `"${w}"*`).join(' AND ') },
    };
  }
  const expr = PG_ITEM_TEXT.replace(/COALESCE\((brand|model|description)/g, `COALESCE(${alias}.$1`);
  return {
    sql: `${expr} @@ to_tsquery('simple', :${p})`,
    params: { [p]: words.map((w) => `${w}:*`).join(' & ') },
  };
}
