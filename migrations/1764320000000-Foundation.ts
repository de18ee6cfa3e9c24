import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { bool, createdAt, id, instant, int, ref, str } from './support';

/** Municipalities, dealers with their history, users, portal sessions and rate-limit buckets. */
export class Foundation1764320000000 implements MigrationInterface {
  name = 'Foundation1764320000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'municipalities',
        columns: [
          str('code', 6, { isPrimary: true }),
          str('name', 100),
          int('holdingPeriodWorkingDays', { default: 5 }),
          int('registrationDeadlineHours', { default: 24 }),
          int('minimumSellerAge', { default: 18 }),
          int('retentionYears', { default: 4 }),
          createdAt(qr),
          createdAt(qr, 'updatedAt'),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'dealers',
        columns: [
          id(),
          str('companyName', 200),
          str('kvkNumber', 8),
          str('street', 200),
          str('houseNumber', 20),
          str('postalCode', 7),
          str('city', 100),
          str('municipalityCode', 6),
          { name: 'categories', type: 'text' },
          str('status', 16),
          createdAt(qr),
          createdAt(qr, 'updatedAt'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_dealers_kvk', columnNames: ['kvkNumber'], isUnique: true }),
          new TableIndex({
            name: 'IDX_dealers_municipality_status',
            columnNames: ['municipalityCode', 'status'],
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_dealers_municipality',
            columnNames: ['municipalityCode'],
            referencedTableName: 'municipalities',
            referencedColumnNames: ['code'],
            onDelete: 'RESTRICT',
          }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'dealer_status_changes',
        columns: [
          id(),
          ref('dealerId'),
          str('fromStatus', 16, { isNullable: true }),
          str('toStatus', 16),
          str('reason', 1000),
          ref('changedByUserId', { isNullable: true }),
          str('changedByName', 200, { isNullable: true }),
          instant(qr, 'changedAt'),
        ],
        indices: [
          new TableIndex({
            name: 'IDX_dealer_status_changes_dealer',
            columnNames: ['dealerId', 'changedAt'],
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_dealer_status_changes_dealer',
            columnNames: ['dealerId'],
            referencedTableName: 'dealers',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'users',
        columns: [
          id(),
          str('email', 254),
          str('name', 200),
          str('passwordHash', 200),
          str('role', 16),
          ref('dealerId', { isNullable: true }),
          str('municipalityCode', 6, { isNullable: true }),
          bool(qr, 'active', true),
          createdAt(qr),
          createdAt(qr, 'updatedAt'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_users_email', columnNames: ['email'], isUnique: true }),
          new TableIndex({ name: 'IDX_users_dealer', columnNames: ['dealerId'] }),
          new TableIndex({ name: 'IDX_users_municipality', columnNames: ['municipalityCode'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_users_dealer',
            columnNames: ['dealerId'],
            referencedTableName: 'dealers',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
          new TableForeignKey({
            name: 'FK_users_municipality',
            columnNames: ['municipalityCode'],
            referencedTableName: 'municipalities',
            referencedColumnNames: ['code'],
            onDelete: 'RESTRICT',
          }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'portal_sessions',
        columns: [
          str('tokenHash', 64, { isPrimary: true }),
          ref('userId'),
          instant(qr, 'createdAt'),
          instant(qr, 'expiresAt'),
        ],
        indices: [new TableIndex({ name: 'IDX_portal_sessions_user', columnNames: ['userId'] })],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'rate_limit_buckets',
        columns: [
          str('key', 300, { isPrimary: true }),
          int('hits'),
          instant(qr, 'windowEndsAt'),
          instant(qr, 'blockedUntil', { isNullable: true }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      'rate_limit_buckets',
      'portal_sessions',
      'users',
      'dealer_status_changes',
      'dealers',
      'municipalities',
    ]) {
      await qr.dropTable(t);
    }
  }
}
