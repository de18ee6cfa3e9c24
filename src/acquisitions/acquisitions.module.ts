import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChainEvent } from '../audit/chain-event.entity';
import { ChainService } from '../audit/chain.service';
import { DealersModule } from '../dealers/dealers.module';
import { Disposal } from '../disposals/disposal.entity';
import { DisposalsService } from '../disposals/disposals.service';
import { Hold } from '../holds/hold.entity';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { AccessLogModule } from '../access-log/access-log.module';
import { MatchingModule } from '../police/matching.module';
import { Seller } from '../sellers/seller.entity';
import { SellersService } from '../sellers/sellers.service';
import { AcquisitionVersion } from './acquisition-version.entity';
import { Acquisition } from './acquisition.entity';
import { AcquisitionsController } from './acquisitions.controller';
import { AcquisitionsRepository } from './acquisitions.repository';
import { AcquisitionsService } from './acquisitions.service';
import { Item } from './item.entity';
import { ItemsController } from './items.controller';
import { RegisterChainSources } from './register-chain.sources';
import { RegisterController } from './register.controller';
import { RegisterExportService } from './register-export.service';

/** The register (R3–R11): acquisitions, lines, sellers, disposals and the dealer's hash chain. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      Acquisition,
      AcquisitionVersion,
      Item,
      Seller,
      Disposal,
      Hold,
      ChainEvent,
    ]),
    DealersModule,
    MunicipalitiesModule,
    MatchingModule,
    AccessLogModule,
  ],
  controllers: [AcquisitionsController, ItemsController, RegisterController],
  providers: [
    AcquisitionsRepository,
    AcquisitionsService,
    SellersService,
    DisposalsService,
    ChainService,
    RegisterChainSources,
    RegisterExportService,
  ],
  exports: [
    AcquisitionsRepository,
    AcquisitionsService,
    SellersService,
    DisposalsService,
    ChainService,
    RegisterExportService,
  ],
})
export class AcquisitionsModule {}
