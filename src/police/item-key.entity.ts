import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The identifier index of the register (R12): for each line, each folded key whole and each of its
 * suffixes of at least 6 characters. Index lookups answer "a line's key equals V" (whole), "contains
 * V" (a suffix starting with V: a B-tree range) and "is contained in V" (V's sub-keys, whole) — for
 * search and for matching new stolen reports, in time that does not grow with the register.
 * Written with the line, renewed by a correction, in the same transaction.
 */
@Entity('item_keys')
// A B-tree on suffix made by the Police migration (PostgreSQL: varchar_pattern_ops, for LIKE 'V%').
@Index('IDX_item_keys_suffix', { synchronize: false })
export class ItemKey {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  itemId!: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  suffix!: string;

  /** The suffix is a whole key of the line (not only the end of one). */
  @Column({ type: 'boolean' })
  whole!: boolean;
}
