import { Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One folded identifier key of a register line (R12): a B-tree lookup for "a line's key equals, or
 * is contained in, this stolen report's key" — the report's sub-keys looked up by equality.
 * Written with the line (and renewed by a correction) in the same transaction.
 */
@Entity('item_keys')
@Index('IDX_item_keys_key', ['foldedKey'])
export class ItemKey {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  itemId!: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  foldedKey!: string;
}
