import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CATEGORIES, type Category } from '../../dealers/dealer.entity';
import { ID_DOCUMENT_TYPES, type IdDocumentType } from '../../sellers/seller.entity';
import {
  ACQUISITION_TYPES,
  PAYMENT_METHODS,
  type AcquisitionType,
  type PaymentMethod,
} from '../acquisition.entity';
import { IDENTIFIER_ABSENT_REASONS, type IdentifierAbsent } from '../item.entity';
import { trim, upper } from '../../common/validators';

/** ISO 8601 date-time with an explicit offset or Z (a time without offset is ambiguous). */
export const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const COUNTRY = /^[A-Z]{2}$/;

export class SellerAddressDto {
  @ApiProperty({ example: 'Hoofdstraat' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  street!: string;
  @ApiProperty({ example: '12a' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  houseNumber!: string;
  @ApiProperty({ example: '9501 AB', description: 'Dutch format (1234 AB) when country is NL' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(12)
  postalCode!: string;
  @ApiProperty({ example: 'Stadskanaal' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  city!: string;
  @ApiProperty({ example: 'NL', description: 'ISO 3166-1 alpha-2' })
  @Transform(upper)
  @IsString()
  @Matches(COUNTRY, { message: 'country must be an ISO 3166-1 alpha-2 code such as NL' })
  country!: string;
}

export class IdDocumentDto {
  @ApiProperty({ enum: ID_DOCUMENT_TYPES }) @IsIn(ID_DOCUMENT_TYPES) type!: IdDocumentType;
  @ApiProperty({ example: 'IXB123456' })
  @Transform(upper)
  @IsString()
  @MinLength(4)
  @MaxLength(30)
  number!: string;
  @ApiProperty({ example: 'NL' })
  @Transform(upper)
  @IsString()
  @Matches(COUNTRY, { message: 'issuingCountry must be an ISO 3166-1 alpha-2 code such as NL' })
  issuingCountry!: string;
}

/** R6: who sold. Never a BSN, never a copy of the document. */
export class SellerDto {
  @ApiProperty({ example: 'Jansen' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  lastName!: string;
  @ApiProperty({ example: 'Piet', description: 'First names or initials' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  firstNames!: string;
  @ApiProperty({ example: '1980-05-17' })
  @IsString()
  @Matches(ISO_DATE, { message: 'dateOfBirth must be a date YYYY-MM-DD' })
  dateOfBirth!: string;
  @ApiProperty({ type: SellerAddressDto })
  @IsObject()
  @ValidateNested()
  @Type(() => SellerAddressDto)
  address!: SellerAddressDto;
  @ApiProperty({ type: IdDocumentDto })
  @IsObject()
  @ValidateNested()
  @Type(() => IdDocumentDto)
  idDocument!: IdDocumentDto;
}

const optionalText = (max: number) => [IsOptional(), Transform(trim), IsString(), MaxLength(max)];
function Text(max: number): PropertyDecorator {
  return (target, key) => optionalText(max).forEach((d) => d(target, key));
}

/** One register line (R3–R5). Which identifier is required depends on the category. */
export class ItemDto {
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES) category!: Category;
  @ApiPropertyOptional({ example: 'Apple' }) @Text(100) brand?: string;
  @ApiPropertyOptional({ example: 'iPhone 13' }) @Text(100) model?: string;
  @ApiPropertyOptional({
    example: '356938035643809',
    description: '15 digits with a valid Luhn check digit',
  })
  @Text(20)
  imei?: string;
  @ApiPropertyOptional({ description: 'Second IMEI of a dual-SIM phone' }) @Text(20) imei2?: string;
  @ApiPropertyOptional() @Text(100) serialNumber?: string;
  @ApiPropertyOptional() @Text(100) frameNumber?: string;
  @ApiPropertyOptional({ description: 'Vehicle identification number, 17 characters' })
  @Text(20)
  vin?: string;
  @ApiPropertyOptional({
    enum: IDENTIFIER_ABSENT_REASONS,
    description: 'Why a required identifier is missing',
  })
  @IsOptional()
  @IsIn(IDENTIFIER_ABSENT_REASONS)
  identifierAbsent?: IdentifierAbsent;
  @ApiPropertyOptional({ example: 'zwart, barst in hoek' }) @Text(1000) description?: string;
  @ApiPropertyOptional({ example: 'zwart' }) @Text(50) colour?: string;
  @ApiProperty({ example: 25000, description: 'Price paid in euro cents' })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  priceCents!: number;
  @ApiPropertyOptional({
    default: 1,
    description: '> 1 only for goods without any individual identifier (scrap metal)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity?: number;
  @ApiPropertyOptional({ example: 'goud' }) @Text(50) material?: string;
  @ApiPropertyOptional({ example: '585' }) @Text(20) fineness?: string;
  @ApiPropertyOptional({ example: 3.2 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(1_000_000)
  weightGrams?: number;
  @ApiPropertyOptional() @Text(200) inscription?: string;
  @ApiPropertyOptional() @Text(50) stoneColour?: string;
}

export class CreateAcquisitionDto {
  @ApiPropertyOptional({
    example: 'POS-2026-000123',
    description: 'Unique per dealer; a retry with the same body returns the original (200)',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  externalRef?: string;

  @ApiProperty({ example: '2026-04-02T14:30:00+02:00' })
  @IsString()
  @Matches(ISO_INSTANT, {
    message: 'acquiredAt must be an ISO 8601 date-time with offset, e.g. 2026-04-02T14:30:00+02:00',
  })
  acquiredAt!: string;

  @ApiProperty({ enum: ACQUISITION_TYPES })
  @IsIn(ACQUISITION_TYPES)
  acquisitionType!: AcquisitionType;

  @ApiPropertyOptional({ enum: PAYMENT_METHODS, description: 'Required for a purchase' })
  @IsOptional()
  @IsIn(PAYMENT_METHODS)
  paymentMethod?: PaymentMethod;

  @ApiPropertyOptional({ type: SellerDto, description: 'The seller; or give sellerId' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SellerDto)
  seller?: SellerDto;

  @ApiPropertyOptional({
    description: 'A returning seller from this dealer’s earlier acquisitions',
  })
  @IsOptional()
  @IsUUID()
  sellerId?: string;

  @ApiProperty({ type: [ItemDto], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  items!: ItemDto[];
}

export class BatchDto {
  @ApiProperty({
    type: [Object],
    description: 'Up to 500 acquisitions, each as for POST /acquisitions',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsObject({ each: true })
  acquisitions!: Record<string, unknown>[];
}

export class ItemChangeDto extends ItemDto {
  @ApiProperty({ description: 'The register line to correct' }) @IsUUID() id!: string;
}

/** R10: what changes in a correction; any field of the acquisition, the seller, and items by id. */
export class CorrectionChangesDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(ISO_INSTANT, { message: 'acquiredAt must be an ISO 8601 date-time with offset' })
  acquiredAt?: string;
  @ApiPropertyOptional({ enum: ACQUISITION_TYPES })
  @IsOptional()
  @IsIn(ACQUISITION_TYPES)
  acquisitionType?: AcquisitionType;
  @ApiPropertyOptional({ enum: PAYMENT_METHODS })
  @IsOptional()
  @IsIn(PAYMENT_METHODS)
  paymentMethod?: PaymentMethod;
  @ApiPropertyOptional({ type: SellerDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SellerDto)
  seller?: SellerDto;
  @ApiPropertyOptional({
    description: 'Each entry replaces that line’s item fields (category, identifiers, price, …)',
    type: [ItemChangeDto],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ItemChangeDto)
  items?: ItemChangeDto[];
}

export class CorrectionDto {
  @ApiProperty({ example: 'IMEI verkeerd overgetypt' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
  @ApiProperty({ type: CorrectionChangesDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CorrectionChangesDto)
  changes!: CorrectionChangesDto;
}

export class VoidDto {
  @ApiProperty({ example: 'Dubbel ingevoerd' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

export const LINE_STATUSES = ['in_stock', 'disposed', 'voided', 'on_hold'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

export class AcquisitionListQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page: number = 1;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 50;
  @ApiPropertyOptional({
    example: '2026-04-01',
    description: 'Acquired on or after (date or date-time)',
  })
  @IsOptional()
  @IsString()
  @Matches(
    /^\d{4}-\d{2}-\d{2}$|^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/,
    { message: 'from must be a date YYYY-MM-DD or a date-time with offset' },
  )
  from?: string;
  @ApiPropertyOptional({
    example: '2026-04-30',
    description: 'Acquired on or before (a date includes that whole day)',
  })
  @IsOptional()
  @IsString()
  @Matches(
    /^\d{4}-\d{2}-\d{2}$|^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/,
    { message: 'to must be a date YYYY-MM-DD or a date-time with offset' },
  )
  to?: string;
  @ApiPropertyOptional({
    description:
      'Words in brand, model, description; an identifier; the external reference; a register number',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
  @ApiPropertyOptional({ enum: CATEGORIES }) @IsOptional() @IsIn(CATEGORIES) category?: Category;
  @ApiPropertyOptional({ enum: LINE_STATUSES })
  @IsOptional()
  @IsIn(LINE_STATUSES)
  status?: LineStatus;
}
