import { ApiProperty } from '@nestjs/swagger';
import type { MentoringPartnerDocument } from './mentoring-partners.projection';

/** One item of the answer of GET /monitoring/mentoring-partners. */
export class MentoringPartner implements MentoringPartnerDocument {
  @ApiProperty({ example: 'Disperindagkop', description: 'As first typed' })
  partner!: string;

  @ApiProperty({ type: 'integer', example: 2025 })
  year!: number;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Sessions in the year' })
  sessions!: number;

  @ApiProperty({ format: 'date', example: '2025-08-14' })
  lastSessionOn!: string;
}
