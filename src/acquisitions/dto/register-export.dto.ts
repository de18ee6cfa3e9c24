import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';

export class RegisterExportQuery {
  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  from?: string;
  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  to?: string;
}

/** `from=checkpoint`: an incremental check from the last verified point; by default the whole chain. */
export class ChainVerifyQuery {
  @ApiPropertyOptional({ enum: ['start', 'checkpoint'], default: 'start' })
  @IsOptional()
  @IsIn(['start', 'checkpoint'])
  from?: 'start' | 'checkpoint';
}
