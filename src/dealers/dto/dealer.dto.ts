import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  IsObject,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import {
  IsDutchPostalCode,
  IsGmCode,
  IsKvkNumber,
  normalisePostalCode,
  trim,
  upper,
} from '../../common/validators';
import { MIN_PASSWORD_LENGTH } from '../../auth/passwords';
import { CATEGORIES, DEALER_STATUSES, type Category, type DealerStatus } from '../dealer.entity';

export class AddressDto {
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

  @ApiProperty({ example: '9501 AB' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? normalisePostalCode(value) : value,
  )
  @IsString()
  @IsDutchPostalCode()
  postalCode!: string;

  @ApiProperty({ example: 'Stadskanaal' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  city!: string;
}

export class ContactDto {
  @ApiProperty({ example: 'Jan de Vries' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'jan@telefoonhuis.nl' })
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(200)
  password!: string;
}

/** R1: the online application of a business (like the Digitaal Opkopers Loket). */
export class DealerApplicationDto {
  @ApiProperty({ example: 'Telefoonhuis Stadskanaal B.V.' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  companyName!: string;

  @ApiProperty({ example: '12345678' })
  @Transform(trim)
  @IsString()
  @IsKvkNumber()
  kvkNumber!: string;

  @ApiProperty({ type: AddressDto })
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;

  @ApiProperty({ example: 'GM0037' })
  @Transform(upper)
  @IsString()
  @IsGmCode()
  municipalityCode!: string;

  @ApiProperty({ enum: CATEGORIES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CATEGORIES.length)
  @ArrayUnique()
  @IsIn(CATEGORIES, { each: true })
  categories!: Category[];

  @ApiProperty({ type: ContactDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact!: ContactDto;
}

export class ApplicationResponse {
  @ApiProperty() dealerId!: string;
  @ApiProperty({ example: 'pending' }) status!: 'pending';
}

export const STATUS_TARGETS = ['active', 'rejected', 'suspended', 'closed'] as const;
export type StatusTarget = (typeof STATUS_TARGETS)[number];

export class ChangeStatusDto {
  @ApiProperty({ enum: STATUS_TARGETS })
  @IsIn(STATUS_TARGETS)
  status!: StatusTarget;

  @ApiProperty({ example: 'Vergunning verleend na controle ter plaatse', minLength: 3 })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

export class DealerListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DEALER_STATUSES })
  @IsOptional()
  @IsIn(DEALER_STATUSES)
  status?: DealerStatus;

  @ApiPropertyOptional({ example: 'GM0037' })
  @IsOptional()
  @IsGmCode()
  municipalityCode?: string;

  @ApiPropertyOptional({ description: 'Company name, KvK number or city contains' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class DealerAddressView {
  @ApiProperty() street!: string;
  @ApiProperty() houseNumber!: string;
  @ApiProperty() postalCode!: string;
  @ApiProperty() city!: string;
}

export class DealerHistoryEntryView {
  @ApiProperty({ enum: DEALER_STATUSES, nullable: true, type: String })
  fromStatus!: DealerStatus | null;
  @ApiProperty({ enum: DEALER_STATUSES }) toStatus!: DealerStatus;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, nullable: true }) changedBy!: string | null;
  @ApiProperty() changedAt!: string;
}

export class DealerView {
  @ApiProperty() id!: string;
  @ApiProperty() companyName!: string;
  @ApiProperty() kvkNumber!: string;
  @ApiProperty({ type: DealerAddressView }) address!: DealerAddressView;
  @ApiProperty() municipalityCode!: string;
  @ApiProperty({ enum: CATEGORIES, isArray: true }) categories!: Category[];
  @ApiProperty({ enum: DEALER_STATUSES }) status!: DealerStatus;
  @ApiProperty() createdAt!: string;
}

export class DealerDetailView extends DealerView {
  @ApiProperty({ type: [DealerHistoryEntryView] }) history!: DealerHistoryEntryView[];
}
