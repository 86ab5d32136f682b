import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { AID_KINDS, type AidKind } from '../../domain/programme/aid-programme';

export class AllocationParams {
  @ApiProperty({ example: 2025 })
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole number' })
  year!: number;

  @ApiProperty({ enum: AID_KINDS })
  @IsIn(AID_KINDS, { message: `kind must be one of ${AID_KINDS.join(', ')}` })
  kind!: AidKind;

  @ApiProperty({ example: '64.72', description: 'Kemendagri code of the regency/city' })
  @Matches(/^64\.\d{2}$/, { message: 'regencyCode must be a Kemendagri code such as 64.72' })
  regencyCode!: string;
}

export class SetAllocationBody {
  @IsInt({ message: 'quota must be a whole number' })
  @Min(0, { message: 'quota must not be negative' })
  @Max(1_000_000, { message: 'quota must not exceed 1000000' })
  quota!: number;
}
