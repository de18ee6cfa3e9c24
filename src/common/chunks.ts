/** SQLite allows at most 32,766 parameters per statement: `IN (…)` lists go in slices of this many. */
export const IN_CHUNK = 500;

/** A list in consecutive slices of at most `size`. */
export function chunks<T>(list: T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Loads rows for many ids (or other values) slice by slice and returns them all. */
export async function inChunks<K, T>(
  values: K[],
  load: (slice: K[]) => Promise<T[]>,
  size = IN_CHUNK,
): Promise<T[]> {
  const out: T[] = [];
  for (const slice of chunks(values, size)) out.push(...(await load(slice)));
  return out;
}
