import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateBy } from 'class-validator';
import { endOfDay } from './as-of';
import { isCalendarDate } from '../domain/programme/calendar-date';
import { AID_KINDS, type AidKind } from '../domain/programme/aid-programme';
import { IsRegencyCode } from '../http/text.validators';
import { WholeNumber, YEARS } from '../http/number.validators';

const IsCalendarDate = (): PropertyDecorator =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value),
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be a date that exists, written YYYY-MM-DD`,
    },
  });

/** `asOf`: what the system knew at the end of that day (WITA); today's knowledge when omitted. */
export class AsOfQuery {
  @ApiPropertyOptional({
    example: '2025-06-30',
    description: 'Events recorded up to the end of this day (WITA); all events when omitted',
  })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  get knownBefore(): string | undefined {
    return this.asOf === undefined ? undefined : endOfDay(this.asOf);
  }
}

export class DisbursementHistoryQuery extends AsOfQuery {
  @ApiPropertyOptional({
    example: '2024-12-31',
    description: 'Only disbursements made on or before this business date',
  })
  @IsOptional()
  @IsCalendarDate()
  disbursedUntil?: string;

  @ApiPropertyOptional({ enum: AID_KINDS })
  @IsOptional()
  @IsIn(AID_KINDS, { message: `kind must be one of ${AID_KINDS.join(', ')}` })
  kind?: AidKind;

  @ApiPropertyOptional({ example: '64.72' })
  @IsOptional()
  @IsRegencyCode()
  regencyCode?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format: 'json' | 'csv' = 'json';
}

export class QuotaProgressAsOfQuery extends AsOfQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @WholeNumber('year', YEARS.min, YEARS.max)
  year?: number;
}
