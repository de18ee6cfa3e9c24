import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ChainService, type ChainVerdict } from '../audit/chain.service';
import { CurrentUser, Roles } from '../common/auth.decorators';
import { ROLES, type Caller } from '../common/roles';
import { DealersService } from '../dealers/dealers.service';
import { ChainVerifyQuery, RegisterExportQuery } from './dto/register-export.dto';
import { RegisterExportService } from './register-export.service';

/** The register of one dealer as a whole: CSV export and hash-chain verification (R11). */
@ApiTags('dealers')
@ApiBearerAuth()
@Controller('api/v1/dealers/:id')
export class RegisterController {
  constructor(
    private readonly dealers: DealersService,
    private readonly chain: ChainService,
    private readonly exporter: RegisterExportService,
  ) {}

  @Get('register.csv')
  @Roles('dealer', 'dealer_staff', 'police', 'boa', 'municipality')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The register as CSV (UTF-8, one line per item)' })
  async csv(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: RegisterExportQuery,
    @Res() res: Response,
  ): Promise<void> {
    const dealer = await this.dealers.findVisible(caller, id);
    const csv = await this.exporter.csv(caller, dealer, q);
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="register-${dealer.kvkNumber}.csv"`)
      .send(csv);
  }

  @Get('chain/verify')
  @Roles(...ROLES)
  @ApiOkResponse({
    description:
      '{valid, length, firstInvalidEvent?}; with from=checkpoint also checkedFrom and checkpointAt',
  })
  async verify(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: ChainVerifyQuery,
  ): Promise<ChainVerdict> {
    const dealer = await this.dealers.findVisible(caller, id);
    return this.chain.verify(dealer.id, q.from === 'checkpoint' ? 'incremental' : 'full');
  }
}
