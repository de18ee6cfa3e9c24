import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth.decorators';
import type { Page } from '../common/pagination';
import { AccessLogQuery } from '../police/dto/police.dto';
import { AccessLogService, type AccessLogView } from './access-log.service';

@ApiTags('access-log')
@ApiBearerAuth()
@Controller('api/v1/access-log')
export class AccessLogController {
  constructor(private readonly log: AccessLogService) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({
    description: 'R19: every police/BOA search and view of seller data, newest first; read-only',
  })
  list(@Query() q: AccessLogQuery): Promise<Page<AccessLogView>> {
    return this.log.list(q);
  }
}
