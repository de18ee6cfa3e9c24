import { Module } from '@nestjs/common';
import { AcquisitionsModule } from '../acquisitions/acquisitions.module';
import { HoldsModule } from '../holds/holds.module';
import { PoliceModule } from '../police/police.module';
import { UsersModule } from '../users/users.module';
import { DemoSeeder } from './demo.seeder';

@Module({
  imports: [UsersModule, AcquisitionsModule, PoliceModule, HoldsModule],
  providers: [DemoSeeder],
})
export class DemoModule {}
