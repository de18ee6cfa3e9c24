import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { instant, int, str } from './support';

const JOB_TABLES = ['import_jobs', 'stolen_report_imports'];

/**
 * Import jobs claimed per node (issue 8): which node holds a job, until when its lease runs (renewed
 * while the job runs; another node takes over a job whose lease ended), and how often it was
 * claimed (a job that keeps losing its node is marked failed).
 */
export class JobClaims1764600000000 implements MigrationInterface {
  name = 'JobClaims1764600000000';

  async up(qr: QueryRunner): Promise<void> {
    for (const table of JOB_TABLES) {
      await qr.addColumns(table, [
        new TableColumn(str('claimedBy', 100, { isNullable: true })),
        new TableColumn(instant(qr, 'leaseUntil', { isNullable: true })),
        new TableColumn(int('attempts', { default: 0 })),
      ]);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of JOB_TABLES) {
      for (const column of ['attempts', 'leaseUntil', 'claimedBy'])
        await qr.dropColumn(table, column);
    }
  }
}
