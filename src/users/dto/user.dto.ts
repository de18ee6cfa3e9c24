import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { ROLES, type Role } from '../../common/roles';
import { IsGmCode, IsOptionalNotNull, trim } from '../../common/validators';
import { MIN_PASSWORD_LENGTH } from '../../auth/passwords';

export class CreateUserDto {
  @ApiProperty({ example: 'boa@stadskanaal.nl' })
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Fatima el Amrani' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(200)
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: 'For dealer and dealer_staff' })
  @IsOptional()
  @IsUUID()
  dealerId?: string;

  @ApiPropertyOptional({ example: 'GM0037', description: 'For boa and municipality' })
  @IsOptional()
  @IsGmCode()
  municipalityCode?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({
    description: 'false disables the account; its tokens stop working at once',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
}

export class UserListQuery extends PageQuery {}

export class UserView {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: String, nullable: true }) dealerId!: string | null;
  @ApiProperty({ type: String, nullable: true }) municipalityCode!: string | null;
  @ApiProperty() active!: boolean;
}
