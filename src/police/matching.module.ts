import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Hit, HitEvent } from './hit.entity';
import { ItemKey } from './item-key.entity';
import { MatchingService } from './matching.service';
import { StolenReport } from './stolen-report.entity';
import { Alert, Watchlist } from './watchlist.entity';

/** R12/R15 matching, used by the register's writes and by the police's stolen reports. */
@Module({
  imports: [TypeOrmModule.forFeature([ItemKey, StolenReport, Hit, HitEvent, Watchlist, Alert])],
  providers: [MatchingService],
  exports: [MatchingService],
})
export class MatchingModule {}
