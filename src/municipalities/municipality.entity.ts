import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from '../database/columns';

/** A municipality (gemeente) by its CBS code, with its own APV settings. */
@Entity('municipalities')
export class Municipality {
  @PrimaryColumn({ type: 'varchar', length: 6 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Bewaartermijn in working days (R8), 0–30. */
  @Column({ type: 'integer', default: 5 })
  holdingPeriodWorkingDays!: number;

  /** Registration deadline in hours after acquisition (R7). */
  @Column({ type: 'integer', default: 24 })
  registrationDeadlineHours!: number;

  @Column({ type: 'integer', default: 18 })
  minimumSellerAge!: number;

  @Column({ type: 'integer', default: 4 })
  retentionYears!: number;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}

export const MUNICIPALITY_DEFAULTS = {
  holdingPeriodWorkingDays: 5,
  registrationDeadlineHours: 24,
  minimumSellerAge: 18,
  retentionYears: 4,
} as const;
