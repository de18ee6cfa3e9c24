import { Column, Entity, Index } from 'typeorm';
import { IdColumn, InstantColumn, newId } from '../database/columns';

export const CHAIN_EVENT_TYPES = [
  'acquisition',
  'correction',
  'void',
  'disposal',
  'hold',
  'hold_lifted',
] as const;
export type ChainEventType = (typeof CHAIN_EVENT_TYPES)[number];

/** R11: one link of a dealer's hash chain: hash = SHA-256(previousHash ‖ canonical event). */
@Entity('chain_events')
@Index('UQ_chain_events_dealer_seq', ['dealerId', 'seq'], { unique: true })
export class ChainEvent {
  @IdColumn()
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  dealerId!: string;

  /** 1, 2, 3, … per dealer. */
  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 16 })
  type!: ChainEventType;

  /** The row the event is about (acquisition version, acquisition, disposal or hold). */
  @Column({ type: 'varchar', length: 36 })
  refId!: string;

  /** The canonical event (JSON, sorted keys); personal data only as commitments. */
  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;

  @InstantColumn()
  createdAt!: Date;
}
