import { ApiProperty } from '@nestjs/swagger';
import { AID_KINDS, type AidKind } from '../../src/domain/programme/aid-programme';
import type {
  KindProgress as KindProgressShape,
  Progress,
  QuotaProgressReport,
} from './quota-progress.queries';

/** The answer of GET /quota-progress (and of GET /audit/quota-progress, replayed from events). */

class ProgressFigures implements Progress {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Recipients the allocations allow; null: no allocation, the target alone binds',
  })
  allocated!: number | null;

  @ApiProperty({ type: 'integer', description: 'Disbursements not reversed' })
  disbursed!: number;

  @ApiProperty({ type: 'integer', description: 'Disbursements reversed' })
  reversed!: number;

  @ApiProperty({ type: 'integer', description: 'Value of the disbursements not reversed' })
  valueDisbursedRupiah!: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Target (or allocation) less disbursed; null for a regency with no allocation',
  })
  remaining!: number | null;
}

export class RegencyProgress extends ProgressFigures {
  @ApiProperty({ example: '64.72', description: 'Kemendagri code of the regency/city' })
  code!: string;

  @ApiProperty({ example: 'Kota Samarinda' })
  name!: string;
}

export class KindProgress extends ProgressFigures implements KindProgressShape {
  @ApiProperty({ enum: AID_KINDS })
  kind!: AidKind;

  @ApiProperty({ type: 'integer', description: 'Recipients to aid (all years added up)' })
  target!: number;

  @ApiProperty({ type: () => [RegencyProgress], description: 'Every regency/city, in code order' })
  regencies!: RegencyProgress[];
}

export class QuotaProgress implements QuotaProgressReport {
  @ApiProperty({ type: 'integer', nullable: true, description: 'null: every year added up' })
  year!: number | null;

  @ApiProperty({ type: () => [KindProgress], description: 'RSE, then KUBE' })
  kinds!: KindProgress[];
}
