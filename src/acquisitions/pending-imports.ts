/**
 * A dealer's CSV import is written in short transactions (issue 8): its acquisitions, lines,
 * sellers, versions, chain events, identifier keys and hits are in the tables before the import is
 * published, while the acquisitions carry `pendingImportId`. Until then they are not in the
 * register: every read of the register leaves them out with one of these conditions, and the
 * publication (`pendingImportId = NULL` for the import's acquisitions, one statement) shows them
 * all at once. A failed import's rows are removed again; nothing of it was ever visible.
 */

/** SQL: the acquisition with alias `a` is in the register (not part of an import still being written). */
export function inRegister(a: string): string {
  return `${a}."pendingImportId" IS NULL`;
}

/** SQL: the item id in `column` (may be NULL) is not a line of an import still being written. */
export function notPendingItem(column: string): string {
  return `(${column} IS NULL OR ${column} NOT IN (SELECT pi.id FROM items pi INNER JOIN acquisitions pa ON pa.id = pi."acquisitionId" WHERE pa."pendingImportId" IS NOT NULL))`;
}

/** SQL: the seller id in `column` is not a seller of an import still being written. */
export function notPendingSeller(column: string): string {
  return `${column} NOT IN (SELECT ps."sellerId" FROM acquisitions ps WHERE ps."pendingImportId" IS NOT NULL)`;
}
