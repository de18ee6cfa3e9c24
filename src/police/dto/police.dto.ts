import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ISO_DATE, ISO_INSTANT } from '../../acquisitions/dto/acquisition.dto';
import { PageQuery } from '../../common/pagination';
import {
  OptionalPurposeQuery,
  OptionalReason,
  PagedOptionalPurposeQuery,
  PagedPurposeQuery,
} from '../../common/purpose.dto';
import { trim } from '../../common/validators';
import { CATEGORIES, type Category } from '../../dealers/dealer.entity';
import { DEALER_REPORT_KINDS, type DealerReportKind } from '../dealer-report.entity';
import { HIT_STATUSES, type HitStatus } from '../hit.entity';
import { WATCH_KINDS, type WatchKind } from '../watchlist.entity';

const DATE_OR_INSTANT =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;
export const IDENTIFIER_TYPES = ['imei', 'serial', 'frame', 'vin'] as const;

/** GET /search/items (R12, R19, R20). */
export class SearchItemsQuery extends PagedPurposeQuery {
  @ApiPropertyOptional({
    description:
      'Serial, IMEI, frame number or VIN; normalised; 6+ characters also match as a substring',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  identifier?: string;

  @ApiPropertyOptional({ description: 'Words in brand, model and description' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(100) brand?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(100) model?: string;
  @ApiPropertyOptional({ enum: CATEGORIES }) @IsOptional() @IsIn(CATEGORIES) category?: Category;

  @ApiPropertyOptional({ description: 'Acquired on or after (date = whole day in Amsterdam)' })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, { message: 'from must be a date YYYY-MM-DD or an ISO date-time' })
  from?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DATE_OR_INSTANT, { message: 'to must be a date YYYY-MM-DD or an ISO date-time' })
  to?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID() dealerId?: string;
  @ApiPropertyOptional({ example: 'GM0037' })
  @IsOptional()
  @Matches(/^GM\d{4}$/, { message: 'municipalityCode must be a CBS code such as GM0037' })
  municipalityCode?: string;

  @ApiPropertyOptional({ description: 'Last name (case-insensitive; a prefix matches)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  sellerName?: string;
  @ApiPropertyOptional({ example: '1980-05-17' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'sellerDateOfBirth must be a date YYYY-MM-DD' })
  sellerDateOfBirth?: string;
  @ApiPropertyOptional({
    description:
      'Full ID document number (looked up through the blind index; never stored in the log)',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(4)
  @MaxLength(30)
  sellerDocumentNumber?: string;
}

/** GET /search/sellers/top (R16). */
export class TopSellersQuery extends PagedPurposeQuery {
  @ApiPropertyOptional({ description: 'Period start (date); default 90 days ago' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;
  @ApiPropertyOptional({ description: 'Period end (date); default today' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
  @ApiPropertyOptional({ default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  minItems?: number;
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  minDealers?: number;
  @ApiPropertyOptional({ description: 'Minimum total paid, in cents' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1e12)
  minTotalCents?: number;
}

export class CreateStolenReportDto extends OptionalReason {
  @ApiProperty({ example: 'PL0100-2026123456' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(50)
  caseNumber!: string;
  @ApiProperty({ enum: IDENTIFIER_TYPES })
  @IsIn(IDENTIFIER_TYPES)
  identifierType!: (typeof IDENTIFIER_TYPES)[number];
  @ApiProperty({ example: '356938035643809' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  identifier!: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(100) brand?: string;
  @ApiPropertyOptional({ enum: CATEGORIES }) @IsOptional() @IsIn(CATEGORIES) category?: Category;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  description?: string;
  @ApiPropertyOptional({
    example: '2026-10-02T21:00:00+02:00',
    description: 'A date or an ISO date-time',
  })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, { message: 'stolenAt must be a date YYYY-MM-DD or an ISO date-time' })
  stolenAt?: string;
}

export class ResolveStolenReportDto extends OptionalPurposeQuery {
  @ApiProperty({ enum: ['resolved'] }) @IsIn(['resolved']) status!: 'resolved';
}

export class StolenReportListQuery extends PagedOptionalPurposeQuery {
  @ApiPropertyOptional({ enum: ['active', 'resolved'] })
  @IsOptional()
  @IsIn(['active', 'resolved'])
  status?: 'active' | 'resolved';
}

export class HitListQuery extends PagedOptionalPurposeQuery {
  @ApiPropertyOptional({ enum: HIT_STATUSES }) @IsOptional() @IsIn(HIT_STATUSES) status?: HitStatus;
  @ApiPropertyOptional({ enum: ['exact', 'possible'] })
  @IsOptional()
  @IsIn(['exact', 'possible'])
  tier?: 'exact' | 'possible';
}

export class UpdateHitDto extends OptionalPurposeQuery {
  @ApiProperty({ enum: HIT_STATUSES }) @IsIn(HIT_STATUSES) status!: HitStatus;
  @ApiPropertyOptional({ description: 'Required when dismissing (why it is not stolen goods)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class CreateWatchlistDto extends OptionalPurposeQuery {
  @ApiProperty({ enum: WATCH_KINDS }) @IsIn(WATCH_KINDS) kind!: WatchKind;
  @ApiPropertyOptional({
    description: 'identifier: the serial/IMEI/frame/VIN; seller_document: the ID document number',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(4)
  @MaxLength(100)
  value?: string;
  @ApiPropertyOptional({ description: 'brand_model: the brand' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  brand?: string;
  @ApiPropertyOptional({ description: 'brand_model: the model (empty: every model of the brand)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  model?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(1000) note?: string;
}

export class CreateDealerReportDto {
  @ApiProperty({ enum: DEALER_REPORT_KINDS }) @IsIn(DEALER_REPORT_KINDS) kind!: DealerReportKind;
  @ApiPropertyOptional({ description: 'suspected_stolen: the line in the own register' })
  @IsOptional()
  @IsUUID()
  itemId?: string;
  @ApiProperty({ description: 'What happened, what was offered, what the person looked like' })
  @Transform(trim)
  @IsString()
  @MinLength(10, { message: 'description must say what happened, in at least 10 characters' })
  @MaxLength(2000)
  description!: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(100) brand?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(100) model?: string;
  @ApiPropertyOptional({ description: 'Serial, IMEI, frame number or VIN of the offered item' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  identifier?: string;
}

export class AccessLogQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() userId?: string;
  @ApiPropertyOptional({ description: 'Date YYYY-MM-DD (Amsterdam) or ISO date-time' })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, { message: 'from must be a date YYYY-MM-DD or an ISO date-time' })
  from?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DATE_OR_INSTANT, { message: 'to must be a date YYYY-MM-DD or an ISO date-time' })
  to?: string;
}

export { ISO_INSTANT };
