import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Roles } from '../common/auth.decorators';
import type { Caller } from '../common/roles';
import type { AcquisitionView } from './acquisition.mapper';
import { AcquisitionsService, type BatchResult } from './acquisitions.service';
import {
  AcquisitionListQuery,
  BatchDto,
  CorrectionDto,
  CreateAcquisitionDto,
  VoidDto,
} from './dto/acquisition.dto';

@ApiTags('acquisitions')
@ApiBearerAuth()
@Controller('api/v1/acquisitions')
export class AcquisitionsController {
  constructor(private readonly acquisitions: AcquisitionsService) {}

  @Post()
  @Roles('dealer', 'dealer_staff')
  @ApiCreatedResponse({
    description: 'Registered: the acquisition with its lines, register numbers and sellableFrom',
  })
  @ApiOkResponse({
    description: 'A retry with the same externalRef and body: the original, nothing created',
  })
  @ApiConflictResponse({ description: 'The externalRef was used for a different acquisition' })
  @ApiForbiddenResponse({ description: 'The dealer is not active' })
  async register(
    @CurrentUser() caller: Caller,
    @Body() dto: CreateAcquisitionDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AcquisitionView> {
    const r = await this.acquisitions.register(caller, dto);
    res.status(r.created ? 201 : 200);
    return r.view;
  }

  @Post('batch')
  @Roles('dealer', 'dealer_staff')
  @HttpCode(200)
  @ApiBody({ type: BatchDto })
  @ApiOkResponse({
    description: '{results:[{index, status: created|duplicate|invalid, id?, errors?}]}',
  })
  async batch(
    @CurrentUser() caller: Caller,
    @Body() dto: BatchDto,
  ): Promise<{ results: BatchResult[] }> {
    return { results: await this.acquisitions.batch(caller, dto.acquisitions) };
  }

  @Get()
  @Roles('dealer', 'dealer_staff')
  @ApiOkResponse({
    description: 'The dealer’s acquisitions with externalRef and items, newest first, paged',
  })
  list(@CurrentUser() caller: Caller, @Query() q: AcquisitionListQuery) {
    return this.acquisitions.list(caller, q);
  }

  @Get(':id')
  @Roles('dealer', 'dealer_staff')
  @ApiOkResponse({ description: 'The acquisition with all its versions' })
  get(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<AcquisitionView> {
    return this.acquisitions.get(caller, id);
  }

  @Post(':id/corrections')
  @Roles('dealer', 'dealer_staff')
  @ApiCreatedResponse({ description: 'The acquisition at its new version, with all versions' })
  correct(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CorrectionDto,
  ): Promise<AcquisitionView> {
    return this.acquisitions.correct(caller, id, dto);
  }

  @Post(':id/void')
  @Roles('dealer', 'dealer_staff')
  @ApiCreatedResponse({ description: 'The voided acquisition (it stays in the register)' })
  void(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: VoidDto,
  ): Promise<AcquisitionView> {
    return this.acquisitions.void(caller, id, dto);
  }
}
