import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { trim } from '../../common/validators';

export class PlaceHoldDto {
  @ApiProperty({ example: 'PL0100-2026123456', description: 'Proces-verbaal number of the case' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(50)
  caseNumber!: string;

  @ApiProperty({ example: 'IMEI komt overeen met aangifte woninginbraak' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

export class HoldView {
  @ApiProperty() id!: string;
  @ApiProperty() itemId!: string;
  @ApiProperty() caseNumber!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() placedAt!: string;
  @ApiProperty({ type: String, nullable: true }) liftedAt!: string | null;
  @ApiProperty() active!: boolean;
}
