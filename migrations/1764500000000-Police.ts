import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { keySuffixes } from '../src/acquisitions/identifiers';
import { createdAt, id, instant, int, isPostgres, ref, str } from './support';

/**
 * Police and BOA (R12–R17, R19): stolen reports, hits with their history, watchlists and alerts,
 * dealer reports, the access log — and the search indexes on the register.
 *
 * Identifier index: `item_keys`, each folded key of a line whole and its suffixes of ≥ 6
 * characters (B-tree; PostgreSQL with varchar_pattern_ops for LIKE 'V%').
 * Other search indexes (not entity metadata, so TypeORM's schema diff leaves them alone):
 * - SQLite: FTS5 tables kept in step by triggers — a word index over brand, model and description
 *   of `items`, a trigram index over `stolen_reports.searchKey`. A future migration that rebuilds
 *   `items` or `stolen_reports` must recreate them.
 * - PostgreSQL: a GIN full-text index on items, a pg_trgm GIN index on stolen reports.
 */
export class Police1764500000000 implements MigrationInterface {
  name = 'Police1764500000000';

  async up(qr: QueryRunner): Promise<void> {
    const pg = isPostgres(qr);
    // Sellers found by document number alone (lines registered before this migration: by name and date of birth).
    await qr.addColumn('sellers', new TableColumn(str('numberIndex', 64, { isNullable: true })));
    await qr.createIndex(
      'sellers',
      new TableIndex({ name: 'IDX_sellers_number_index', columnNames: ['numberIndex'] }),
    );
    await qr.createIndex(
      'sellers',
      new TableIndex({ name: 'IDX_sellers_birth_date', columnNames: ['dateOfBirth'] }),
    );
    // Search: a seller's lines, and everything newest first across dealers.
    await qr.createIndex(
      'acquisitions',
      new TableIndex({ name: 'IDX_acquisitions_seller', columnNames: ['sellerId'] }),
    );
    await qr.createIndex(
      'acquisitions',
      new TableIndex({ name: 'IDX_acquisitions_acquired', columnNames: ['acquiredAt'] }),
    );
    await qr.createTable(
      new Table({
        name: 'item_keys',
        columns: [
          { ...ref('itemId'), isPrimary: true },
          { ...str('suffix', 100), isPrimary: true },
          { name: 'whole', type: 'boolean' },
        ],
      }),
    );
    // PostgreSQL: pattern ops, so that LIKE 'V%' (a key containing V) is an index range; SQLite: a plain B-tree (ranges on BINARY).
    await qr.query(
      pg
        ? 'CREATE INDEX "IDX_item_keys_suffix" ON item_keys ("suffix" varchar_pattern_ops)'
        : 'CREATE INDEX "IDX_item_keys_suffix" ON item_keys ("suffix")',
    );
    // Lines registered before this migration get their index rows.
    const lines = (await qr.query(
      'SELECT id, "imeiKey", "imei2Key", "serialKey", "frameKey", "vinKey" FROM items',
    )) as Record<string, string | null>[];
    const rows = lines.flatMap((l) =>
      keySuffixes([l.imeiKey, l.imei2Key, l.serialKey, l.frameKey, l.vinKey]).map((r) => ({
        itemId: l.id as string,
        ...r,
      })),
    );
    for (let i = 0; i < rows.length; i += 200) {
      await qr.manager
        .createQueryBuilder()
        .insert()
        .into('item_keys', ['itemId', 'suffix', 'whole'])
        .values(rows.slice(i, i + 200))
        .execute();
    }

    await qr.createTable(
      new Table({
        name: 'stolen_reports',
        columns: [
          id(),
          str('caseNumber', 50),
          str('identifierType', 10),
          str('identifier', 100),
          str('identifierKey', 100),
          str('foldedKey', 100),
          str('searchKey', 110),
          str('brand', 100, { isNullable: true }),
          str('category', 20, { isNullable: true }),
          str('description', 1000, { isNullable: true }),
          instant(qr, 'stolenAt', { isNullable: true }),
          str('status', 10),
          ref('importJobId', { isNullable: true }),
          ref('createdByUserId'),
          createdAt(qr),
          instant(qr, 'resolvedAt', { isNullable: true }),
          ref('resolvedByUserId', { isNullable: true }),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_stolen_reports_case_key',
            columnNames: ['caseNumber', 'identifierKey'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'IDX_stolen_reports_folded',
            columnNames: ['foldedKey', 'status'],
          }),
          new TableIndex({ name: 'IDX_stolen_reports_created', columnNames: ['createdAt'] }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'stolen_report_imports',
        columns: [
          id(),
          ref('userId'),
          str('fileName', 200),
          str('status', 10),
          int('total', { default: 0 }),
          int('processed', { default: 0 }),
          int('created', { default: 0 }),
          int('duplicates', { default: 0 }),
          int('hits', { default: 0 }),
          { name: 'errors', type: 'text' },
          { name: 'content', type: 'text', isNullable: true },
          createdAt(qr),
          instant(qr, 'finishedAt', { isNullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'IDX_stolen_report_imports_status', columnNames: ['status'] }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'dealer_reports',
        columns: [
          id(),
          ref('dealerId'),
          ref('userId'),
          str('kind', 20),
          ref('itemId', { isNullable: true }),
          str('description', 2000),
          str('brand', 100, { isNullable: true }),
          str('model', 100, { isNullable: true }),
          str('identifier', 100, { isNullable: true }),
          createdAt(qr),
        ],
        indices: [
          new TableIndex({
            name: 'IDX_dealer_reports_dealer',
            columnNames: ['dealerId', 'createdAt'],
          }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'hits',
        columns: [
          id(),
          str('source', 20),
          str('tier', 10),
          str('status', 15),
          ref('itemId', { isNullable: true }),
          ref('dealerId'),
          ref('stolenReportId', { isNullable: true }),
          ref('dealerReportId', { isNullable: true }),
          createdAt(qr),
          instant(qr, 'updatedAt'),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_hits_item_report',
            columnNames: ['itemId', 'stolenReportId'],
            isUnique: true,
          }),
          new TableIndex({ name: 'IDX_hits_status', columnNames: ['status', 'createdAt'] }),
          new TableIndex({ name: 'IDX_hits_dealer', columnNames: ['dealerId'] }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'hit_events',
        columns: [
          id(),
          ref('hitId'),
          str('status', 15),
          str('note', 1000, { isNullable: true }),
          ref('userId', { isNullable: true }),
          str('userName', 200),
          instant(qr, 'at'),
        ],
        indices: [new TableIndex({ name: 'IDX_hit_events_hit', columnNames: ['hitId', 'at'] })],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'watchlists',
        columns: [
          id(),
          str('kind', 20),
          str('label', 200),
          str('matchKey', 200),
          str('note', 1000, { isNullable: true }),
          ref('createdByUserId'),
          createdAt(qr),
          instant(qr, 'endedAt', { isNullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'IDX_watchlists_key', columnNames: ['kind', 'matchKey'] }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'alerts',
        columns: [
          id(),
          str('kind', 20),
          ref('userId', { isNullable: true }),
          ref('watchlistId', { isNullable: true }),
          ref('hitId', { isNullable: true }),
          ref('itemId', { isNullable: true }),
          ref('dealerId', { isNullable: true }),
          str('message', 300),
          createdAt(qr),
        ],
        indices: [
          new TableIndex({ name: 'IDX_alerts_user', columnNames: ['userId', 'createdAt'] }),
          new TableIndex({ name: 'IDX_alerts_created', columnNames: ['createdAt'] }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'access_log',
        columns: [
          id(),
          instant(qr, 'at'),
          ref('userId'),
          str('userName', 200),
          str('role', 20),
          str('action', 30),
          str('reason', 500),
          str('caseNumber', 50, { isNullable: true }),
          { name: 'parameters', type: 'text' },
          int('resultCount'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_access_log_at', columnNames: ['at'] }),
          new TableIndex({ name: 'IDX_access_log_user', columnNames: ['userId', 'at'] }),
        ],
      }),
    );

    if (pg) {
      await qr.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await qr.query(`CREATE INDEX "IDX_items_text" ON items USING gin (${PG_ITEM_TEXT})`);
      await qr.query(
        'CREATE INDEX "IDX_stolen_reports_search_key" ON stolen_reports USING gin ("searchKey" gin_trgm_ops)',
      );
      await qr.query(
        `CREATE FUNCTION dor_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'access_log is append-only'; END $$`,
      );
      await qr.query(
        'CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION dor_append_only()',
      );
      // A row trigger does not see TRUNCATE: refuse that too.
      await qr.query(
        'CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION dor_append_only()',
      );
      return;
    }
    await qr.query(
      `CREATE VIRTUAL TABLE items_text_fts USING fts5(brand, model, description, tokenize = 'unicode61 remove_diacritics 2')`,
    );
    await qr.query(
      `CREATE VIRTUAL TABLE stolen_keys_fts USING fts5("searchKey", tokenize = 'trigram')`,
    );
    await qr.query(
      `INSERT INTO items_text_fts(rowid, brand, model, description) SELECT rowid, brand, model, description FROM items`,
    );
    const addItem = `INSERT INTO items_text_fts(rowid, brand, model, description) VALUES (new.rowid, new.brand, new.model, new.description);`;
    const dropItem = `DELETE FROM items_text_fts WHERE rowid = old.rowid;`;
    await qr.query(`CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN ${addItem} END`);
    await qr.query(
      `CREATE TRIGGER items_search_update AFTER UPDATE OF brand, model, description ON items BEGIN ${dropItem} ${addItem} END`,
    );
    await qr.query(
      `CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN ${dropItem} END`,
    );
    await qr.query(
      `CREATE TRIGGER stolen_search_insert AFTER INSERT ON stolen_reports BEGIN INSERT INTO stolen_keys_fts(rowid, "searchKey") VALUES (new.rowid, new."searchKey"); END`,
    );
    await qr.query(
      `CREATE TRIGGER stolen_search_delete AFTER DELETE ON stolen_reports BEGIN DELETE FROM stolen_keys_fts WHERE rowid = old.rowid; END`,
    );
    await qr.query(
      `CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END`,
    );
    await qr.query(
      `CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    if (isPostgres(qr)) {
      await qr.query('DROP INDEX IF EXISTS "IDX_items_text"');
    } else {
      for (const t of ['items_search_insert', 'items_search_update', 'items_search_delete'])
        await qr.query(`DROP TRIGGER IF EXISTS ${t}`);
      for (const t of ['items_text_fts', 'stolen_keys_fts'])
        await qr.query(`DROP TABLE IF EXISTS ${t}`);
    }
    for (const t of [
      'item_keys',
      'access_log',
      'alerts',
      'watchlists',
      'hit_events',
      'hits',
      'dealer_reports',
      'stolen_report_imports',
      'stolen_reports',
    ]) {
      await qr.dropTable(t);
    }
    if (isPostgres(qr)) await qr.query('DROP FUNCTION IF EXISTS dor_append_only()');
    await qr.dropIndex('sellers', 'IDX_sellers_birth_date');
    await qr.dropIndex('acquisitions', 'IDX_acquisitions_seller');
    await qr.dropIndex('acquisitions', 'IDX_acquisitions_acquired');
    await qr.dropIndex('sellers', 'IDX_sellers_number_index');
    await qr.dropColumn('sellers', 'numberIndex');
  }
}

/** The PostgreSQL full-text expression over a line's words; the search query must use the very same. */
export const PG_ITEM_TEXT = `to_tsvector('simple', COALESCE(brand, '') || ' ' || COALESCE(model, '') || ' ' || COALESCE(description, ''))`;
