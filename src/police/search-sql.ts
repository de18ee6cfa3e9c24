import { PG_ITEM_TEXT } from '../../migrations/1764500000000-Police';

/**
 * The SQL of the search indexes (see the Police migration): one question, two engines.
 * SQLite answers from FTS5 tables whose rowid is the row's rowid; PostgreSQL from pg_trgm and
 * full-text GIN indexes. Values are folded identifier keys (A–Z, 0–9 only) or sanitised words, and
 * are always bound as parameters.
 */
export interface KeyQuestion {
  /** Rows with a key containing one of these (each ≥ 6 characters). */
  contains: string[];
  /** Rows with a key equal to one of these. */
  equals: string[];
}

export type Dialect = 'sqlite' | 'postgres';

let seq = 0;
const param = (prefix: string) => `${prefix}${(seq = (seq + 1) % 1_000_000)}`;

/** FTS5 MATCH text: quoted phrases joined by OR (a phrase " V " with its spaces is a whole key). */
function ftsKeys(q: KeyQuestion): string {
  return [...q.contains.map((c) => `"${c}"`), ...q.equals.map((e) => `" ${e} "`)].join(' OR ');
}

/**
 * A WHERE condition with its parameters: rows of `alias` (table `items` or `stolen_reports`) whose
 * indexed keys answer the question. Returns null when the question is empty.
 */
export function keyCondition(dialect: Dialect, table: 'items' | 'stolen_reports', alias: string, q: KeyQuestion): { sql: string; params: Record<string, string> } | null {
  if (!q.contains.length && !q.equals.length) return null;
  if (dialect === 'sqlite') {
    const fts = table === 'items' ? 'items_keys_fts' : 'stolen_keys_fts';
    const p = param('m');
    return { sql: `${alias}.rowid IN (SELECT rowid FROM ${fts} WHERE ${fts} MATCH :${p})`, params: { [p]: ftsKeys(q) } };
  }
  const column = table === 'items' ? `${alias}."searchKeys"` : `${alias}."searchKey"`;
  const params: Record<string, string> = {};
  const likes = [...q.contains.map((c) => `%${c}%`), ...q.equals.map((e) => `% ${e} %`)].map((pattern) => {
    const p = param('k');
    params[p] = pattern;
    return `${column} LIKE :${p}`;
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
  const plain = text.normalize('NFKD').replace(/(\p{Script=Latin})\p{M}+/gu, '$1').normalize('NFKC').toLowerCase();
  return [...new Set((plain.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 2))].slice(0, 8);
}

/** Lines of `alias` (items) whose brand, model or description hold every word (as a word prefix). */
export function textCondition(dialect: Dialect, alias: string, words: string[]): { sql: string; params: Record<string, string> } | null {
  if (!words.length) return null;
  const p = param('t');
  if (dialect === 'sqlite') {
    return { sql: `${alias}.rowid IN (SELECT rowid FROM items_text_fts WHERE items_text_fts MATCH :${p})`, params: { [p]: words.map((w) => `"${w}"*`).join(' AND ') } };
  }
  const expr = PG_ITEM_TEXT.replace(/COALESCE\((brand|model|description)/g, `COALESCE(${alias}.$1`);
  return { sql: `${expr} @@ to_tsquery('simple', :${p})`, params: { [p]: words.map((w) => `${w}:*`).join(' & ') } };
}
