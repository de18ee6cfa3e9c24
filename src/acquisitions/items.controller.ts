import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { OptionalPurposeQuery } from '../common/purpose.dto';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/auth.decorators';
import type { Caller } from '../common/roles';
import { DisposalsService } from '../disposals/disposals.service';
import { DisposalDto } from '../disposals/dto/disposal.dto';
import type { DisposalView } from './acquisition.mapper';
import { AcquisitionsService } from './acquisitions.service';

@ApiTags('items')
@ApiBearerAuth()
@Controller('api/v1/items')
export class ItemsController {
  constructor(
    private readonly acquisitions: AcquisitionsService,
    private readonly disposals: DisposalsService,
  ) {}

  @Get(':id')
  @Roles('dealer', 'dealer_staff', 'police', 'boa', 'municipality')
  @ApiOkResponse({
    description:
      'One register line with its acquisition and versions; police and BOA see the seller only with a reason (logged, R19)',
  })
  get(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() purpose: OptionalPurposeQuery,
  ) {
    return this.acquisitions.item(caller, id, purpose);
  }

  @Post(':id/disposal')
  @Roles('dealer', 'dealer_staff')
  @ApiCreatedResponse({
    description: 'The disposal with its violations (holding_period, police_hold)',
  })
  @ApiConflictResponse({ description: 'Already disposed of, or the line was voided' })
  dispose(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: DisposalDto,
  ): Promise<DisposalView> {
    return this.disposals.dispose(caller, id, dto);
  }
}
