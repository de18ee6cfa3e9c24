import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { PageQuery, type Page } from '../common/pagination';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/auth.decorators';
import { ROLES, type Caller } from '../common/roles';
import {
  CreateMunicipalityDto,
  MunicipalityView,
  UpdateMunicipalityDto,
} from './dto/municipality.dto';
import { MunicipalitiesService } from './municipalities.service';

@ApiTags('municipalities')
@ApiBearerAuth()
@Controller('api/v1/municipalities')
export class MunicipalitiesController {
  constructor(private readonly municipalities: MunicipalitiesService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: MunicipalityView })
  create(@Body() dto: CreateMunicipalityDto): Promise<MunicipalityView> {
    return this.municipalities.create(dto);
  }

  @Get()
  @Roles(...ROLES)
  list(@Query() query: PageQuery): Promise<Page<MunicipalityView>> {
    return this.municipalities.page(query);
  }

  @Get(':code')
  @Roles(...ROLES)
  @ApiOkResponse({ type: MunicipalityView })
  get(@Param('code') code: string): Promise<MunicipalityView> {
    return this.municipalities.get(code);
  }

  @Patch(':code')
  @Roles('admin', 'municipality')
  @ApiOkResponse({ type: MunicipalityView })
  update(
    @CurrentUser() caller: Caller,
    @Param('code') code: string,
    @Body() dto: UpdateMunicipalityDto,
  ): Promise<MunicipalityView> {
    return this.municipalities.update(caller, code, dto);
  }
}
