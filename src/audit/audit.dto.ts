import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateBy } from 'class-validator';
import { endOfDay } from './as-of';
import { isCalendarDate } from '../domain/programme/calendar-date';
import { AID_KINDS, type AidKind } from '../domain/programme/aid-programme';
import { IsRegencyCode } from '../http/text.validators';
import { YEAR_PARAM } from '../http/api-responses';
import { WholeNumber, YEARS } from '../http/number.validators';
import { CsvDelimiterParam, type CsvDelimiter } from '../read/export/export-format';

const IsCalendarDate = (): PropertyDecorator =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value),
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be a date that exists, written YYYY-MM-DD`,
    },
  });

/** `later` must not come before the date in `earlierField` (both YYYY-MM-DD, compared as text). */
const NotBefore = (earlierField: string): PropertyDecorator =>
  ValidateBy({
    name: 'notBefore',
    constraints: [earlierField],
    validator: {
      validate: (value: unknown, args) => {
        const earlier = (args?.object as Record<string, unknown>)[earlierField];
        return (
          typeof value !== 'string' ||
          typeof earlier !== 'string' ||
          !isCalendarDate(value) ||
          !isCalendarDate(earlier) ||
          earlier <= value
        );
      },
      defaultMessage: (args) => `${args?.property ?? 'value'} must not be before ${earlierField}`,
    },
  });

/** `asOf`: what the system knew at the end of that day (WITA); today's knowledge when omitted. */
export class AsOfQuery {
  @ApiPropertyOptional({
    example: '2025-06-30',
    description:
      'Recorded time: events the ledger wrote up to the end of this day (WITA, UTC+8); all events when omitted',
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
    example: '2025-01-01',
    description: 'Business date: only disbursements handed over on or after this day',
  })
  @IsOptional()
  @IsCalendarDate()
  disbursedFrom?: string;

  @ApiPropertyOptional({
    example: '2024-12-31',
    description: 'Business date: only disbursements handed over on or before this day',
  })
  @IsOptional()
  @IsCalendarDate()
  @NotBefore('disbursedFrom')
  disbursedUntil?: string;

  @ApiPropertyOptional({ enum: AID_KINDS })
  @IsOptional()
  @IsIn(AID_KINDS, { message: `kind must be one of ${AID_KINDS.join(', ')}` })
  kind?: AidKind;

  @ApiPropertyOptional({ example: '64.72' })
  @IsOptional()
  @IsRegencyCode()
  regencyCode?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'], { message: 'format must be json, csv or xlsx' })
  format: 'json' | 'csv' | 'xlsx' = 'json';

  @CsvDelimiterParam()
  delimiter?: CsvDelimiter;
}

export class QuotaProgressAsOfQuery extends AsOfQuery {
  @ApiPropertyOptional({ ...YEAR_PARAM, description: 'One programme year; all years when omitted' })
  @IsOptional()
  @WholeNumber('year', YEARS.min, YEARS.max)
  year?: number;

  @ApiPropertyOptional({
    example: '2025-06-30',
    description:
      'Business date: leave out handovers, reversals and visits dated after this day, whenever they were recorded',
  })
  @IsOptional()
  @IsCalendarDate()
  businessAsOf?: string;
}
