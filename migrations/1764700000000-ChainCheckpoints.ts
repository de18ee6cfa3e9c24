import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { instant, int, ref, str } from './support';

/** R11: the last verified point of each dealer's hash chain (incremental verification). */
export class ChainCheckpoints1764700000000 implements MigrationInterface {
  name = 'ChainCheckpoints1764700000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'chain_checkpoints',
        columns: [
          { ...ref('dealerId'), isPrimary: true },
          int('seq'),
          str('hash', 64),
          { name: 'counts', type: 'text' },
          instant(qr, 'verifiedAt'),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('chain_checkpoints');
  }
}
