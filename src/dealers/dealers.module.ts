import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { ApplicationRateLimitInterceptor } from './application-rate-limit.interceptor';
import { DealerStatusChange } from './dealer-status-change.entity';
import { Dealer } from './dealer.entity';
import { DealersController } from './dealers.controller';
import { DealersRepository } from './dealers.repository';
import { DealersService } from './dealers.service';

@Module({
  imports: [TypeOrmModule.forFeature([Dealer, DealerStatusChange]), UsersModule],
  controllers: [DealersController],
  providers: [DealersRepository, DealersService, ApplicationRateLimitInterceptor],
  exports: [DealersRepository, DealersService],
})
export class DealersModule {}
