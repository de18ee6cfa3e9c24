import type { QueryRunner, TableColumnOptions } from 'typeorm';

/** Portable column helpers for hand-written migrations (driver checks in one place). */
export function isPostgres(qr: QueryRunner): boolean {
  return qr.connection.driver.options.type === 'postgres';
}

export function instant(
  qr: QueryRunner,
  name: string,
  opts: Partial<TableColumnOptions> = {},
): TableColumnOptions {
  return { name, type: isPostgres(qr) ? 'timestamptz' : 'datetime', ...opts };
}

export function createdAt(qr: QueryRunner, name = 'createdAt'): TableColumnOptions {
  return instant(qr, name, { default: isPostgres(qr) ? 'now()' : "datetime('now')" });
}

export function id(name = 'id'): TableColumnOptions {
  return { name, type: 'varchar', length: '36', isPrimary: true };
}

export function ref(name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: 'varchar', length: '36', ...opts };
}

export function str(
  name: string,
  length: number,
  opts: Partial<TableColumnOptions> = {},
): TableColumnOptions {
  return { name, type: 'varchar', length: String(length), ...opts };
}

export function int(name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: 'integer', ...opts };
}

/** A boolean; SQLite keeps the default as 1/0 (as TypeORM's entity metadata does), PostgreSQL as true/false. */
export function bool(qr: QueryRunner, name: string, defaultValue: boolean): TableColumnOptions {
  return { name, type: 'boolean', default: isPostgres(qr) ? defaultValue : defaultValue ? 1 : 0 };
}
