import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

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
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(1000, { message: 'limit must be at most 1000' })
  limit = 50;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be a whole number' })
  @Min(0, { message: 'offset must not be negative' })
  offset = 0;
}
