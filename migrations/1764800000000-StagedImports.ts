import {
  MigrationInterface,
  QueryRunner,
  TableColumn,
  TableColumnOptions,
  TableIndex,
} from 'typeorm';
import { instant, int, isPostgres, ref, str } from './support';

/**
 * Staged imports (issue 8): a dealer's CSV import is written in short transactions, hidden until
 * it is published in one statement.
 * - `acquisitions.pendingImportId`: the import job an acquisition belongs to while that import is
 *   still being written (NULL once published; every read of the register leaves the others out).
 * - `dealers.registerHeldBy`: the import job that holds the dealer's numbers and chain meanwhile.
 * - `import_jobs`: the phase and the numbers and chain head the import has reached, so that a job
 *   interrupted by a restart continues where it was (or finishes removing what it wrote).
 *
 * SQLite adds the columns with ALTER TABLE (TypeORM's addColumn would rebuild the tables, and
 * with them the foreign keys and the FTS triggers of the tables around them).
 */
export class StagedImports1764800000000 implements MigrationInterface {
  name = 'StagedImports1764800000000';

  async up(qr: QueryRunner): Promise<void> {
    await this.add(qr, 'acquisitions', [ref('pendingImportId', { isNullable: true })]);
    await qr.createIndex(
      'acquisitions',
      new TableIndex({ name: 'IDX_acquisitions_pending_import', columnNames: ['pendingImportId'] }),
    );
    await this.add(qr, 'dealers', [ref('registerHeldBy', { isNullable: true })]);
    await this.add(qr, 'import_jobs', [
      str('phase', 10, { isNullable: true }),
      instant(qr, 'registeredAt', { isNullable: true }),
      int('written', { default: 0 }),
      int('lastRegisterNumber', { isNullable: true }),
      int('chainLength', { isNullable: true }),
      str('chainHead', 64, { isNullable: true }),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('acquisitions', 'IDX_acquisitions_pending_import');
    for (const c of [
      'chainHead',
      'chainLength',
      'lastRegisterNumber',
      'written',
      'registeredAt',
      'phase',
    ])
      await this.drop(qr, 'import_jobs', c);
    await this.drop(qr, 'dealers', 'registerHeldBy');
    await this.drop(qr, 'acquisitions', 'pendingImportId');
  }

  private async add(qr: QueryRunner, table: string, columns: TableColumnOptions[]): Promise<void> {
    if (isPostgres(qr)) {
      await qr.addColumns(
        table,
        columns.map((c) => new TableColumn(c)),
      );
      return;
    }
    for (const c of columns) {
      const type = c.length ? `${c.type}(${c.length})` : c.type;
      const nullable = c.isNullable ? '' : ' NOT NULL';
      const fallback = c.default !== undefined ? ` DEFAULT (${String(c.default)})` : '';
      await qr.query(`ALTER TABLE "${table}" ADD COLUMN "${c.name}" ${type}${nullable}${fallback}`);
    }
  }

  private async drop(qr: QueryRunner, table: string, column: string): Promise<void> {
    if (isPostgres(qr)) await qr.dropColumn(table, column);
    else await qr.query(`ALTER TABLE "${table}" DROP COLUMN "${column}"`);
  }
}
