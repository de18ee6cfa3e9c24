import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/columns';

/** A signed-in portal session. The cookie holds a random token; only its SHA-256 is stored. */
@Entity('portal_sessions')
export class PortalSession {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index('IDX_portal_sessions_user')
  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @InstantColumn()
  createdAt!: Date;

  @InstantColumn()
  expiresAt!: Date;
}
