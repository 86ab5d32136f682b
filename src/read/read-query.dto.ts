import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches, ValidateBy } from 'class-validator';
import { integerWithin } from '../http/api-responses';
import { WholeNumber } from '../http/number.validators';

/** The highest position any store can give (a signed 64-bit integer). */
const MAX_POSITION = 2n ** 63n - 1n;

/** Far beyond any list this service keeps, and exact in every store. */
export const MAX_OFFSET = 1_000_000_000;

/** Every read takes `minPosition`: answer only once the read model has applied that event. */
export class ReadQuery {
  @ApiPropertyOptional({
    description: 'A position a command answered: wait (≤ 5 s) until it is visible',
    pattern: '^\\d{1,20}$',
    example: '1042',
  })
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'minPosition must be a position (a whole number)' })
  @ValidateBy({
    name: 'isPosition',
    validator: {
      // Digits only are judged here; anything else is the pattern's to refuse.
      validate: (value: unknown) =>
        typeof value !== 'string' || !/^\d{1,20}$/.test(value) || BigInt(value) <= MAX_POSITION,
      defaultMessage: () => 'minPosition must be at most 9223372036854775807',
    },
  })
  minPosition?: string;

  get minimumPosition(): bigint | undefined {
    return this.minPosition === undefined ? undefined : BigInt(this.minPosition);
  }
}

export class PagedReadQuery extends ReadQuery {
  @ApiPropertyOptional({ ...integerWithin(1, 1000), default: 50 })
  @IsOptional()
  @WholeNumber('limit', 1, 1000)
  limit = 50;

  @ApiPropertyOptional({ ...integerWithin(0, MAX_OFFSET), default: 0 })
  @IsOptional()
  @WholeNumber('offset', 0, MAX_OFFSET)
  offset = 0;
}
