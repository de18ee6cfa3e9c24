import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import type { Role } from '../common/roles';
import { CreatedAtColumn, UpdatedAtColumn, IdColumn, newId } from '../database/columns';
import { Dealer } from '../dealers/dealer.entity';
import { Municipality } from '../municipalities/municipality.entity';

/** A person who signs in. Belongs to one dealer, one municipality, or neither (police, admin). */
@Entity('users')
export class User {
  @IdColumn()
  id: string = newId();

  /** Stored lower-case; unique. */
  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** argon2id hash; never leaves the users module. */
  @Column({ type: 'varchar', length: 200 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  @Index('IDX_users_dealer')
  @Column({ type: 'varchar', length: 36, nullable: true })
  dealerId!: string | null;

  @ManyToOne(() => Dealer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'dealerId', foreignKeyConstraintName: 'FK_users_dealer' })
  dealer?: Dealer;

  @Index('IDX_users_municipality')
  @Column({ type: 'varchar', length: 6, nullable: true })
  municipalityCode!: string | null;

  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipalityCode', foreignKeyConstraintName: 'FK_users_municipality' })
  municipality?: Municipality;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
