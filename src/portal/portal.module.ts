import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AccessLogModule } from '../access-log/access-log.module';
import { HoldsModule } from '../holds/holds.module';
import { PoliceModule } from '../police/police.module';
import { AcquisitionsModule } from '../acquisitions/acquisitions.module';
import { DealersModule } from '../dealers/dealers.module';
import { ImportsModule } from '../imports/imports.module';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { UsersModule } from '../users/users.module';
import { PortalAuthController } from './portal-auth.controller';
import { PortalDealersController } from './portal-dealers.controller';
import { PortalAdminController } from './portal-admin.controller';
import { PortalRegisterController } from './portal-register.controller';
import { MenuCountsInterceptor } from './menu-counts.interceptor';
import { PortalOversightController } from './portal-oversight.controller';
import { PortalPoliceController } from './portal-police.controller';

/** The server-rendered portal: it uses the same services as the API, never a second implementation. */
@Module({
  imports: [
    DealersModule,
    MunicipalitiesModule,
    UsersModule,
    AcquisitionsModule,
    ImportsModule,
    PoliceModule,
    HoldsModule,
    AccessLogModule,
  ],
  controllers: [
    PortalAuthController,
    PortalDealersController,
    PortalAdminController,
    PortalRegisterController,
    PortalPoliceController,
    PortalOversightController,
  ],
  providers: [{ provide: APP_INTERCEPTOR, useClass: MenuCountsInterceptor }],
})
export class PortalModule {}
