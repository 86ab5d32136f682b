import { ApiProperty } from '@nestjs/swagger';
import { AID_KINDS, type AidKind } from '../../src/domain/programme/aid-programme';
import type { KindOfYear, ProgrammeYearDocument } from './programme-years.projection';
import type { ProgrammeAnswer } from './programme-years.queries';

/** The answer of GET /programme. */

export class RegencyAllocation {
  @ApiProperty({ example: '64.72' })
  regencyCode!: string;

  @ApiProperty({ example: 'Kota Samarinda' })
  regencyName!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  quota!: number;
}

export class ProgrammeKind implements KindOfYear {
  @ApiProperty({ enum: AID_KINDS })
  kind!: AidKind;

  @ApiProperty({ type: 'integer', description: 'Recipients to aid in the year' })
  target!: number;

  @ApiProperty({ type: 'integer', description: 'Highest value of one aid, in rupiah' })
  ceilingRupiah!: number;

  @ApiProperty({ type: 'integer', description: 'The sum of the regencies’ allocations' })
  allocated!: number;

  @ApiProperty({
    type: () => [RegencyAllocation],
    description: 'Regencies with an allocation, in code order; the others are bound by the target',
  })
  allocations!: RegencyAllocation[];
}

export class ProgrammeYear implements ProgrammeYearDocument {
  @ApiProperty({ type: 'integer', example: 2025 })
  year!: number;

  @ApiProperty({ type: () => [ProgrammeKind] })
  kinds!: ProgrammeKind[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The reason given for the latest change; null for the default programme',
  })
  latestReason!: string | null;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class Programme implements ProgrammeAnswer {
  @ApiProperty({ type: () => [ProgrammeYear], description: 'Every defined year, oldest first' })
  years!: ProgrammeYear[];
}
