import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AcquisitionsModule } from '../acquisitions/acquisitions.module';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { UsersModule } from '../users/users.module';
import { ImportJob } from './import-job.entity';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';
import { StagedRegister } from './staged-register';

@Module({
  imports: [
    TypeOrmModule.forFeature([ImportJob]),
    AcquisitionsModule,
    MunicipalitiesModule,
    UsersModule,
  ],
  controllers: [ImportsController],
  providers: [ImportsService, StagedRegister],
  exports: [ImportsService],
})
export class ImportsModule {}
