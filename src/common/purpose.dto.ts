import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from './pagination';
import { trim } from './validators';

/** The case (proces-verbaal number) a police or BOA question belongs to, where there is one. */
export class CaseNumberField {
  @ApiPropertyOptional({ example: 'PL0100-2026123456', description: 'Proces-verbaal number' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  caseNumber?: string;
}

/** R19 purpose binding: why the police or BOA look, and (where there is one) the case. */
export class PurposeQuery extends CaseNumberField {
  @ApiProperty({
    minLength: 10,
    example: 'Onderzoek woninginbraak Musselkanaal',
    description: 'Why you search (R19); written to the access log',
  })
  @Transform(trim)
  @IsString()
  @MinLength(10, { message: 'reason must say why you search, in at least 10 characters' })
  @MaxLength(500)
  reason!: string;
}

/** A paged question with a purpose. */
export class PagedPurposeQuery extends IntersectionType(PageQuery, PurposeQuery) {}

/** An optional reason (police/BOA): validated when given. */
export class OptionalReason {
  @ApiPropertyOptional({
    minLength: 10,
    description:
      'Police/BOA: why you look (R19); required where personal data is searched or shown',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(10, { message: 'reason must say why you look, in at least 10 characters' })
  @MaxLength(500)
  reason?: string;
}

/** A view that shows seller data to police or BOA only with a reason (R19); without one, no seller. */
export class OptionalPurposeQuery extends IntersectionType(OptionalReason, CaseNumberField) {}

/**
 * API.md asks police/BOA clients to send `reason` (and `caseNumber`) with every call; routes that
 * read no personal data accept them (validated when present) so that such a client is never refused.
 */
export class PagedOptionalPurposeQuery extends IntersectionType(PageQuery, OptionalPurposeQuery) {}
