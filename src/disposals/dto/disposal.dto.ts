import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ISO_INSTANT } from '../../acquisitions/dto/acquisition.dto';
import { DISPOSAL_KINDS, type DisposalKind } from '../disposal.entity';
import { trim } from '../../common/validators';

export class BuyerDto {
  @ApiProperty({ example: 'K. de Jong' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;
  @ApiPropertyOptional({ example: 'Veendam' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  city?: string;
}

/** R9: a disposal is recorded as reported; violations are flagged, not refused. */
export class DisposalDto {
  @ApiProperty({ example: '2026-04-14T11:00:00+02:00' })
  @IsString()
  @Matches(ISO_INSTANT, { message: 'disposedAt must be an ISO 8601 date-time with offset' })
  disposedAt!: string;
  @ApiProperty({ enum: DISPOSAL_KINDS }) @IsIn(DISPOSAL_KINDS) kind!: DisposalKind;
  @ApiPropertyOptional({ example: 32000, description: 'Required for a sale' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  priceCents?: number;
  @ApiPropertyOptional({
    type: BuyerDto,
    description: 'Name and city of the buyer; required for a sale',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BuyerDto)
  buyer?: BuyerDto;
}
