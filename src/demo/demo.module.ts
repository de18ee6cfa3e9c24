import { Module } from '@nestjs/common';
import { AcquisitionsModule } from '../acquisitions/acquisitions.module';
import { UsersModule } from '../users/users.module';
import { DemoSeeder } from './demo.seeder';

@Module({ imports: [UsersModule, AcquisitionsModule], providers: [DemoSeeder] })
export class DemoModule {}
