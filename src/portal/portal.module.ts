import { Module } from '@nestjs/common';
import { AcquisitionsModule } from '../acquisitions/acquisitions.module';
import { DealersModule } from '../dealers/dealers.module';
import { ImportsModule } from '../imports/imports.module';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { UsersModule } from '../users/users.module';
import { PortalAuthController } from './portal-auth.controller';
import { PortalDealersController } from './portal-dealers.controller';
import { PortalAdminController } from './portal-admin.controller';
import { PortalRegisterController } from './portal-register.controller';

/** The server-rendered portal: it uses the same services as the API, never a second implementation. */
@Module({
  imports: [DealersModule, MunicipalitiesModule, UsersModule, AcquisitionsModule, ImportsModule],
  controllers: [PortalAuthController, PortalDealersController, PortalAdminController, PortalRegisterController],
})
export class PortalModule {}
