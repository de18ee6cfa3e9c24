import { Body, Controller, Delete, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/auth.decorators';
import type { Caller } from '../common/roles';
import { HoldView, PlaceHoldDto } from './dto/hold.dto';
import { HoldsService } from './holds.service';

@ApiTags('holds')
@ApiBearerAuth()
@Controller('api/v1/items/:id/holds')
export class HoldsController {
  constructor(private readonly holds: HoldsService) {}

  @Post()
  @Roles('police')
  @ApiCreatedResponse({
    type: HoldView,
    description: 'The dealer now sees "Niet verkopen — politieonderzoek" on the line',
  })
  @ApiConflictResponse({
    description: 'The line was voided or disposed of, or already has an active hold for this case',
  })
  place(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: PlaceHoldDto,
  ): Promise<HoldView> {
    return this.holds.place(caller, id, dto);
  }

  @Delete(':holdId')
  @Roles('police')
  @ApiOkResponse({ type: HoldView, description: 'The lifted hold' })
  lift(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('holdId', new ParseUUIDPipe()) holdId: string,
  ): Promise<HoldView> {
    return this.holds.lift(caller, id, holdId);
  }
}
