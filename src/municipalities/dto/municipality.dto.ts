import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsGmCode, IsOptionalNotNull, trim, upper } from '../../common/validators';

export class MunicipalitySettingsDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 30,
    default: 5,
    description: 'Bewaartermijn in working days (R8)',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(30)
  holdingPeriodWorkingDays?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 720,
    default: 24,
    description: 'Registration deadline in hours (R7)',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(720)
  registrationDeadlineHours?: number;

  @ApiPropertyOptional({ minimum: 16, maximum: 99, default: 18 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(16)
  @Max(99)
  minimumSellerAge?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 20,
    default: 4,
    description: 'Retention of personal data (R18)',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(20)
  retentionYears?: number;
}

export class CreateMunicipalityDto extends MunicipalitySettingsDto {
  @ApiProperty({ example: 'GM0037' })
  @Transform(upper)
  @IsGmCode()
  code!: string;

  @ApiProperty({ example: 'Stadskanaal' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;
}

export class UpdateMunicipalityDto extends MunicipalitySettingsDto {
  @ApiPropertyOptional({ description: 'admin only' })
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;
}

export class MunicipalityView {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() holdingPeriodWorkingDays!: number;
  @ApiProperty() registrationDeadlineHours!: number;
  @ApiProperty() minimumSellerAge!: number;
  @ApiProperty() retentionYears!: number;
}
