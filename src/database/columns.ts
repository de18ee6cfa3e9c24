import { randomUUID } from 'node:crypto';
import { Column, ColumnOptions, CreateDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const newId = (): string => randomUUID();

/**
 * One process talks to one database, chosen by DATABASE_URL. Instants are `timestamptz` on
 * PostgreSQL and `datetime` (UTC text) on SQLite; both map to a JS Date.
 */
export const DB_KIND: 'sqlite' | 'postgres' = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '')
  ? 'postgres'
  : 'sqlite';
export const TIMESTAMP_TYPE = DB_KIND === 'postgres' ? 'timestamptz' : 'datetime';

export const InstantColumn = (options: ColumnOptions = {}) =>
  Column({ ...options, type: TIMESTAMP_TYPE });
export const CreatedAtColumn = () => CreateDateColumn({ type: TIMESTAMP_TYPE });
export const UpdatedAtColumn = () => UpdateDateColumn({ type: TIMESTAMP_TYPE });

/** UUID primary key, generated in the application (portable: varchar(36) on every engine). */
export const IdColumn = () => PrimaryColumn({ type: 'varchar', length: 36 });
