import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Patch,
  Post,
  Query,
  Req,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, Roles } from '../common/auth.decorators';
import { DorError } from '../common/dor-error';
import type { Page } from '../common/pagination';
import { PagedOptionalPurposeQuery } from '../common/purpose.dto';
import type { Caller } from '../common/roles';
import { DealerReportsService, type DealerReportView } from './dealer-reports.service';
import {
  CreateDealerReportDto,
  CreateStolenReportDto,
  CreateWatchlistDto,
  HitListQuery,
  ResolveStolenReportDto,
  SearchItemsQuery,
  StolenReportListQuery,
  TopSellersQuery,
  UpdateHitDto,
} from './dto/police.dto';
import { HitsService, type HitPage, type HitView } from './hits.service';
import { SearchService, type SearchResult, type TopSeller } from './search.service';
import {
  StolenReportsService,
  type StolenImportView,
  type StolenReportView,
} from './stolen-reports.service';
import { WatchlistsService, type AlertView, type WatchlistView } from './watchlists.service';

/** The national feed may be large: 32 MiB per upload (100 000 reports of ~300 bytes). */
export const STOLEN_UPLOAD_LIMIT = 32 * 1024 * 1024;

/** Whether a JSON body is an array: its first character after a BOM and white space is "[". */
function startsAnArray(body: Buffer): boolean {
  let at = body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0;
  while (at < body.length && [0x20, 0x09, 0x0a, 0x0d].includes(body[at])) at += 1;
  return body[at] === 0x5b;
}

@ApiTags('search')
@ApiBearerAuth()
@Controller('api/v1/search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get('items')
  @Roles('police', 'boa')
  @ApiOkResponse({
    description:
      'Lines with dealer and seller, newest first; matchTier for identifier searches. Logged in the access log (R19). BOA: own municipality only.',
  })
  items(@CurrentUser() caller: Caller, @Query() q: SearchItemsQuery): Promise<Page<SearchResult>> {
    return this.search.items(caller, q);
  }

  @Get('sellers/top')
  @Roles('police')
  @ApiOkResponse({
    description:
      'R16: sellers linked across dealers by their ID document, above the thresholds; never the document number',
  })
  top(@CurrentUser() caller: Caller, @Query() q: TopSellersQuery): Promise<Page<TopSeller>> {
    return this.search.topSellers(caller, q);
  }
}

interface UploadedFeed {
  originalname: string;
  size: number;
  buffer: Buffer;
}

@ApiTags('stolen-reports')
@ApiBearerAuth()
@Controller('api/v1/stolen-reports')
export class StolenReportsController {
  constructor(private readonly reports: StolenReportsService) {}

  @Post()
  @Roles('police')
  @ApiCreatedResponse({
    description: 'The report with the hits found at once in the register (R12)',
  })
  create(@CurrentUser() caller: Caller, @Body() dto: CreateStolenReportDto) {
    return this.reports.create(caller, dto);
  }

  @Post('import')
  @Roles('police')
  @HttpCode(202)
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    description:
      'A CSV or JSON file in the multipart field "file" (columns caseNumber, identifierType, identifier, brand, category, description, stolenAt), or a JSON array of reports; at most 100 000',
  })
  @ApiAcceptedResponse({ description: '{id}: poll GET /api/v1/stolen-reports/import/:id' })
  @UseInterceptors(
    FileInterceptor('file', { limits: { fileSize: STOLEN_UPLOAD_LIMIT, files: 1, fields: 5 } }),
  )
  async import(
    @CurrentUser() caller: Caller,
    @UploadedFile() file: UploadedFeed | undefined,
    @Req() req: Request,
  ): Promise<{ id: string }> {
    let name: string;
    let content: string;
    if (file) {
      if (file.size > STOLEN_UPLOAD_LIMIT)
        throw new PayloadTooLargeException('The file is larger than 32 MiB');
      name = file.originalname;
      content = file.buffer.toString('utf8');
    } else if (Buffer.isBuffer(req.body) && startsAnArray(req.body)) {
      // The JSON body as sent (parsed by the job in slices; a syntax error fails the job with JSON_SYNTAX).
      name = 'import.json';
      content = req.body.toString('utf8');
    } else {
      throw DorError.invalid(
        'FILE_REQUIRED',
        'Send a JSON array of reports, or upload a CSV or JSON file in the multipart field "file"',
        'file',
      );
    }
    const job = await this.reports.enqueue(caller, name, content);
    return { id: job.id };
  }

  @Get('import/:jobId')
  @Roles('police')
  @ApiOkResponse({
    description:
      '{status, total, processed, created, duplicates, hits, errors:[{line, field, message}]}',
  })
  job(@Param('jobId', new ParseUUIDPipe()) jobId: string): Promise<StolenImportView> {
    return this.reports.job(jobId);
  }

  @Get()
  @Roles('police')
  list(@Query() q: StolenReportListQuery): Promise<Page<StolenReportView>> {
    return this.reports.list(q);
  }

  @Get(':id')
  @Roles('police')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<StolenReportView> {
    return this.reports.get(id);
  }

  @Patch(':id')
  @Roles('police')
  @ApiOkResponse({ description: 'Resolved: no longer matched against new lines; its hits stay' })
  resolve(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() _dto: ResolveStolenReportDto,
  ): Promise<StolenReportView> {
    return this.reports.resolve(caller, id);
  }
}

@ApiTags('hits')
@ApiBearerAuth()
@Controller('api/v1/hits')
export class HitsController {
  constructor(private readonly hits: HitsService) {}

  @Get()
  @Roles('police')
  @ApiOkResponse({ description: 'R14 inbox: new first, with counts by status and tier' })
  list(@Query() q: HitListQuery): Promise<HitPage> {
    return this.hits.list(q);
  }

  @Get(':id')
  @Roles('police')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<HitView> {
    return this.hits.get(id);
  }

  @Patch(':id')
  @Roles('police')
  @ApiOkResponse({
    description:
      'new → investigating → confirmed | dismissed (a note is required to dismiss); each step logged with who and when',
  })
  update(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateHitDto,
  ): Promise<HitView> {
    return this.hits.update(caller, id, dto);
  }
}

@ApiTags('watchlists')
@ApiBearerAuth()
@Controller('api/v1')
export class WatchlistsController {
  constructor(private readonly watchlists: WatchlistsService) {}

  @Post('watchlists')
  @Roles('police')
  @ApiCreatedResponse({
    description:
      'R15: kind identifier {value}, seller_document {value}, brand_model {brand, model?}',
  })
  create(@CurrentUser() caller: Caller, @Body() dto: CreateWatchlistDto): Promise<WatchlistView> {
    return this.watchlists.create(caller, dto);
  }

  @Get('watchlists')
  @Roles('police')
  list(@CurrentUser() caller: Caller): Promise<WatchlistView[]> {
    return this.watchlists.list(caller);
  }

  @Delete('watchlists/:id')
  @Roles('police')
  @ApiOkResponse({ description: 'Ends the watchlist; its alerts stay' })
  end(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<WatchlistView> {
    return this.watchlists.end(caller, id);
  }

  @Get('alerts')
  @Roles('police')
  @ApiOkResponse({
    description:
      'The caller’s watchlist and hold alerts and the alerts for all police (exact hits, dealer reports), newest first',
  })
  alerts(
    @CurrentUser() caller: Caller,
    @Query() q: PagedOptionalPurposeQuery,
  ): Promise<Page<AlertView>> {
    return this.watchlists.alertsFor(caller, q);
  }
}

@ApiTags('dealer-reports')
@ApiBearerAuth()
@Controller('api/v1/dealer-reports')
export class DealerReportsController {
  constructor(private readonly reports: DealerReportsService) {}

  @Post()
  @Roles('dealer', 'dealer_staff')
  @ApiCreatedResponse({ description: 'R17: reaches the police inbox like a hit' })
  create(
    @CurrentUser() caller: Caller,
    @Body() dto: CreateDealerReportDto,
  ): Promise<DealerReportView> {
    return this.reports.create(caller, dto);
  }

  @Get()
  @Roles('dealer', 'dealer_staff')
  own(@CurrentUser() caller: Caller): Promise<DealerReportView[]> {
    return this.reports.own(caller);
  }
}
