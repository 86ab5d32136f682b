import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { WholeNumber } from '../http/number.validators';

/** Far beyond any list this service keeps, and exact in every store. */
export const MAX_OFFSET = 1_000_000_000;

/** Every read takes `minPosition`: answer only once the read model has applied that event. */
export class ReadQuery {
  @ApiPropertyOptional({
    description: 'A position a command answered: wait (≤ 5 s) until it is visible',
  })
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'minPosition must be a position (a whole number)' })
  minPosition?: string;

  get minimumPosition(): bigint | undefined {
    return this.minPosition === undefined ? undefined : BigInt(this.minPosition);
  }
}

export class PagedReadQuery extends ReadQuery {
  @ApiPropertyOptional({ default: 50, maximum: 1000 })
  @IsOptional()
  @WholeNumber('limit', 1, 1000)
  limit = 50;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @WholeNumber('offset', 0, MAX_OFFSET)
  offset = 0;
}
