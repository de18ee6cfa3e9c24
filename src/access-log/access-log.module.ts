import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessLogController } from './access-log.controller';
import { AccessLogEntry } from './access-log.entity';
import { AccessLogService } from './access-log.service';

/** R19: the access log (written by search and seller views, read by admin). */
@Module({
  imports: [TypeOrmModule.forFeature([AccessLogEntry])],
  controllers: [AccessLogController],
  providers: [AccessLogService],
  exports: [AccessLogService],
})
export class AccessLogModule {}
