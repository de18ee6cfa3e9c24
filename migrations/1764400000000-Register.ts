import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableColumn,
  TableForeignKey,
  TableIndex,
} from 'typeorm';
import { bool, createdAt, id, instant, int, ref, str } from './support';

const fk = (name: string, column: string, table: string, refColumn = 'id') =>
  new TableForeignKey({
    name,
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: [refColumn],
    onDelete: 'RESTRICT',
  });

/** The register (R3–R11): sellers, acquisitions with versions, items, disposals, holds, the hash chain, imports. */
export class Register1764400000000 implements MigrationInterface {
  name = 'Register1764400000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('dealers', [
      new TableColumn(int('lastRegisterNumber', { default: 0 })),
      new TableColumn(int('chainLength', { default: 0 })),
      new TableColumn(str('chainHead', 64, { default: `'${'0'.repeat(64)}'` })),
    ]);

    await qr.createTable(
      new Table({
        name: 'sellers',
        columns: [
          id(),
          ref('dealerId'),
          str('lastName', 100, { isNullable: true }),
          str('firstNames', 100, { isNullable: true }),
          str('dateOfBirth', 10, { isNullable: true }),
          str('street', 200, { isNullable: true }),
          str('houseNumber', 20, { isNullable: true }),
          str('postalCode', 12, { isNullable: true }),
          str('city', 100, { isNullable: true }),
          str('country', 2, { isNullable: true }),
          str('idType', 20, { isNullable: true }),
          str('idNumberCipher', 200, { isNullable: true }),
          str('idNumberLast4', 4, { isNullable: true }),
          str('idIssuingCountry', 2, { isNullable: true }),
          str('documentIndex', 64, { isNullable: true }),
          str('salt', 32, { isNullable: true }),
          str('commitment', 64),
          createdAt(qr),
          instant(qr, 'erasedAt', { isNullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'IDX_sellers_dealer', columnNames: ['dealerId', 'createdAt'] }),
          new TableIndex({ name: 'IDX_sellers_document_index', columnNames: ['documentIndex'] }),
        ],
        foreignKeys: [fk('FK_sellers_dealer', 'dealerId', 'dealers')],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'acquisitions',
        columns: [
          id(),
          ref('dealerId'),
          str('externalRef', 100, { isNullable: true }),
          str('requestHash', 64, { isNullable: true }),
          instant(qr, 'acquiredAt'),
          instant(qr, 'registeredAt'),
          { name: 'late', type: 'boolean' },
          str('acquisitionType', 16),
          str('paymentMethod', 16, { isNullable: true }),
          ref('sellerId'),
          ref('registeredByUserId'),
          int('version'),
          instant(qr, 'voidedAt', { isNullable: true }),
          str('voidReason', 1000, { isNullable: true }),
          ref('voidedByUserId', { isNullable: true }),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_acquisitions_external_ref',
            columnNames: ['dealerId', 'externalRef'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'IDX_acquisitions_dealer_acquired',
            columnNames: ['dealerId', 'acquiredAt'],
          }),
        ],
        foreignKeys: [
          fk('FK_acquisitions_dealer', 'dealerId', 'dealers'),
          fk('FK_acquisitions_seller', 'sellerId', 'sellers'),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'acquisition_versions',
        columns: [
          id(),
          ref('acquisitionId'),
          int('version'),
          { name: 'snapshot', type: 'text' },
          { name: 'changed', type: 'text', isNullable: true },
          str('reason', 1000, { isNullable: true }),
          ref('createdByUserId'),
          str('createdByName', 200),
          instant(qr, 'createdAt'),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_acquisition_versions',
            columnNames: ['acquisitionId', 'version'],
            isUnique: true,
          }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'items',
        columns: [
          id(),
          ref('acquisitionId'),
          ref('dealerId'),
          int('registerNumber'),
          str('category', 20),
          str('brand', 100, { isNullable: true }),
          str('model', 100, { isNullable: true }),
          str('imei', 20, { isNullable: true }),
          str('imei2', 20, { isNullable: true }),
          str('serialNumber', 100, { isNullable: true }),
          str('frameNumber', 100, { isNullable: true }),
          str('vin', 17, { isNullable: true }),
          str('identifierAbsent', 12, { isNullable: true }),
          str('description', 1000, { isNullable: true }),
          str('colour', 50, { isNullable: true }),
          int('priceCents'),
          int('quantity', { default: 1 }),
          str('material', 50, { isNullable: true }),
          str('fineness', 20, { isNullable: true }),
          int('weightMilligrams', { isNullable: true }),
          str('inscription', 200, { isNullable: true }),
          str('stoneColour', 50, { isNullable: true }),
          instant(qr, 'sellableFrom'),
          bool(qr, 'suspicious', false),
          str('imeiKey', 20, { isNullable: true }),
          str('imei2Key', 20, { isNullable: true }),
          str('serialKey', 100, { isNullable: true }),
          str('frameKey', 100, { isNullable: true }),
          str('vinKey', 17, { isNullable: true }),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_items_dealer_register_number',
            columnNames: ['dealerId', 'registerNumber'],
            isUnique: true,
          }),
          new TableIndex({ name: 'IDX_items_acquisition', columnNames: ['acquisitionId'] }),
          new TableIndex({ name: 'IDX_items_imei_key', columnNames: ['imeiKey'] }),
          new TableIndex({ name: 'IDX_items_imei2_key', columnNames: ['imei2Key'] }),
          new TableIndex({ name: 'IDX_items_serial_key', columnNames: ['serialKey'] }),
          new TableIndex({ name: 'IDX_items_frame_key', columnNames: ['frameKey'] }),
          new TableIndex({ name: 'IDX_items_vin_key', columnNames: ['vinKey'] }),
        ],
        foreignKeys: [fk('FK_items_acquisition', 'acquisitionId', 'acquisitions')],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'disposals',
        columns: [
          id(),
          ref('itemId'),
          ref('dealerId'),
          instant(qr, 'disposedAt'),
          str('kind', 20),
          int('priceCents', { isNullable: true }),
          str('buyerName', 200, { isNullable: true }),
          str('buyerCity', 100, { isNullable: true }),
          { name: 'violations', type: 'text' },
          instant(qr, 'recordedAt'),
          ref('recordedByUserId'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_disposals_item', columnNames: ['itemId'], isUnique: true }),
          new TableIndex({ name: 'IDX_disposals_dealer', columnNames: ['dealerId', 'disposedAt'] }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'holds',
        columns: [
          id(),
          ref('itemId'),
          ref('dealerId'),
          str('caseNumber', 50),
          str('reason', 1000),
          instant(qr, 'placedAt'),
          ref('placedByUserId'),
          instant(qr, 'liftedAt', { isNullable: true }),
          ref('liftedByUserId', { isNullable: true }),
        ],
        indices: [new TableIndex({ name: 'IDX_holds_item', columnNames: ['itemId', 'liftedAt'] })],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'chain_events',
        columns: [
          id(),
          ref('dealerId'),
          int('seq'),
          str('type', 16),
          ref('refId'),
          { name: 'payload', type: 'text' },
          str('prevHash', 64),
          str('hash', 64),
          instant(qr, 'createdAt'),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_chain_events_dealer_seq',
            columnNames: ['dealerId', 'seq'],
            isUnique: true,
          }),
        ],
      }),
    );

    await qr.createTable(
      new Table({
        name: 'import_jobs',
        columns: [
          id(),
          ref('dealerId'),
          ref('userId'),
          str('fileName', 200),
          str('status', 10),
          int('total', { default: 0 }),
          int('processed', { default: 0 }),
          int('created', { default: 0 }),
          { name: 'errors', type: 'text' },
          { name: 'content', type: 'text', isNullable: true },
          createdAt(qr),
          instant(qr, 'finishedAt', { isNullable: true }),
        ],
        indices: [
          new TableIndex({
            name: 'IDX_import_jobs_dealer',
            columnNames: ['dealerId', 'createdAt'],
          }),
          new TableIndex({ name: 'IDX_import_jobs_status', columnNames: ['status'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      'import_jobs',
      'chain_events',
      'holds',
      'disposals',
      'items',
      'acquisition_versions',
      'acquisitions',
      'sellers',
    ]) {
      await qr.dropTable(t);
    }
    await qr.dropColumn('dealers', 'chainHead');
    await qr.dropColumn('dealers', 'chainLength');
    await qr.dropColumn('dealers', 'lastRegisterNumber');
  }
}
