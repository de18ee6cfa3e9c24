import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

/**
 * R11: how far a dealer's chain was last verified whole — the event count, the hash of the last
 * verified event, and the number of events of each type up to it — so that the next verification
 * can start there and check only what came after (an incremental check; a full check starts at 1).
 */
@Entity('chain_checkpoints')
export class ChainCheckpoint {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  dealerId!: string;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;

  /** Events per type up to `seq` (JSON object), for the row-count check at the end. */
  @Column({ type: 'text' })
  counts!: string;

  @InstantColumn()
  verifiedAt!: Date;
}
