import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Public, Roles } from '../common/auth.decorators';
import { ROLES, type Caller } from '../common/roles';
import { DealersService } from './dealers.service';
import {
  ApplicationResponse,
  ChangeStatusDto,
  DealerApplicationDto,
  DealerDetailView,
  DealerListQuery,
} from './dto/dealer.dto';
import { ApplicationRateLimit } from './application-rate-limit.interceptor';

@ApiTags('dealers')
@Controller('api/v1/dealers')
export class DealersController {
  constructor(private readonly dealers: DealersService) {}

  @Post('applications')
  @Public()
  @HttpCode(201)
  @ApplicationRateLimit()
  @ApiCreatedResponse({ type: ApplicationResponse })
  @ApiConflictResponse({ description: 'KvK number or contact e-mail already registered' })
  apply(@Body() dto: DealerApplicationDto): Promise<ApplicationResponse> {
    return this.dealers.apply(dto);
  }

  @Get()
  @Roles(...ROLES)
  @ApiBearerAuth()
  list(@CurrentUser() caller: Caller, @Query() query: DealerListQuery) {
    return this.dealers.list(caller, query);
  }

  @Get(':id')
  @Roles(...ROLES)
  @ApiBearerAuth()
  @ApiOkResponse({ type: DealerDetailView })
  get(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<DealerDetailView> {
    return this.dealers.get(caller, id);
  }

  @Post(':id/status')
  @Roles('admin', 'municipality')
  @ApiBearerAuth()
  @ApiCreatedResponse({
    type: DealerDetailView,
    description: 'The dealer with its new status and history',
  })
  changeStatus(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ChangeStatusDto,
  ): Promise<DealerDetailView> {
    return this.dealers.changeStatus(caller, id, dto);
  }
}
