import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AcquisitionsModule } from './acquisitions/acquisitions.module';
import { AuthModule } from './auth/auth.module';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions, migrate } from './database/database.options';
import { DatabaseModule } from './database/database.module';
import { DealersModule } from './dealers/dealers.module';
import { DemoModule } from './demo/demo.module';
import { HealthController } from './health/health.controller';
import { HoldsModule } from './holds/holds.module';
import { ImportsModule } from './imports/imports.module';
import { MunicipalitiesModule } from './municipalities/municipalities.module';
import { PortalModule } from './portal/portal.module';
import { PoliceModule } from './police/police.module';
import { AccessLogModule } from './access-log/access-log.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  /** The whole application for one validated configuration (main.ts and every e2e test). */
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(config.database),
          // Migrated before any other part of the application can use it (several nodes: one at a time).
          dataSourceFactory: async (options) => {
            const ds = await new DataSource(options!).initialize();
            await migrate(ds);
            return ds;
          },
        }),
        DatabaseModule,
        AuthModule,
        UsersModule,
        MunicipalitiesModule,
        DealersModule,
        AcquisitionsModule,
        ImportsModule,
        HoldsModule,
        PoliceModule,
        AccessLogModule,
        PortalModule,
        DemoModule,
      ],
      controllers: [HealthController],
    };
  }
}
