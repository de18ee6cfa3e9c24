import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessLogModule } from '../access-log/access-log.module';
import { AcquisitionsModule } from '../acquisitions/acquisitions.module';
import { DealerReport } from './dealer-report.entity';
import { DealerReportsService } from './dealer-reports.service';
import { Hit, HitEvent } from './hit.entity';
import { HitsService } from './hits.service';
import { MatchingModule } from './matching.module';
import {
  DealerReportsController,
  HitsController,
  SearchController,
  StolenReportsController,
  WatchlistsController,
} from './police.controllers';
import { SearchService } from './search.service';
import { StolenImport } from './stolen-import.entity';
import { StolenReport } from './stolen-report.entity';
import { StolenReportsService } from './stolen-reports.service';
import { Alert, Watchlist } from './watchlist.entity';
import { WatchlistsService } from './watchlists.service';

/** Police and BOA (R12–R17, R19): search, stolen reports, hits, watchlists and alerts, dealer reports. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      StolenReport,
      StolenImport,
      Hit,
      HitEvent,
      Watchlist,
      Alert,
      DealerReport,
    ]),
    AcquisitionsModule,
    MatchingModule,
    AccessLogModule,
  ],
  controllers: [
    SearchController,
    StolenReportsController,
    HitsController,
    WatchlistsController,
    DealerReportsController,
  ],
  providers: [
    SearchService,
    StolenReportsService,
    HitsService,
    WatchlistsService,
    DealerReportsService,
  ],
  exports: [
    SearchService,
    StolenReportsService,
    HitsService,
    WatchlistsService,
    DealerReportsService,
  ],
})
export class PoliceModule {}
