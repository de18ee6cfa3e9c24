import { Module } from '@nestjs/common';
import { DealersModule } from '../dealers/dealers.module';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { UsersModule } from '../users/users.module';
import { PortalAuthController } from './portal-auth.controller';
import { PortalDealersController } from './portal-dealers.controller';
import { PortalAdminController } from './portal-admin.controller';

/** The server-rendered portal: it uses the same services as the API, never a second implementation. */
@Module({
  imports: [DealersModule, MunicipalitiesModule, UsersModule],
  controllers: [PortalAuthController, PortalDealersController, PortalAdminController],
})
export class PortalModule {}
