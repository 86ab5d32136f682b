import { ApiProperty } from '@nestjs/swagger';
import type { Page } from '../../src/read/page';
import type { AuditEntry as AuditEntryShape } from './audit-trail.projection';

/** The answer of GET /audit/trail. */

export class AuditEntry implements AuditEntryShape {
  @ApiProperty({ type: 'integer', description: 'The event’s global position' })
  position!: number;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;

  @ApiProperty({ example: 'AidDisbursed' })
  type!: string;

  @ApiProperty({ example: 'recipient-6f1c…' })
  streamName!: string;

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  recipientId!: string | null;

  @ApiProperty({ description: 'Who did it: the token’s actor' })
  actor!: string;

  @ApiProperty()
  correlationId!: string;

  @ApiProperty()
  causationId!: string;

  @ApiProperty()
  commandId!: string;

  @ApiProperty({
    description:
      'One line; a correction names the fields it changed, never their values; an erasure gives its reason and reference',
  })
  summary!: string;
}

export class AuditTrailPage implements Page<AuditEntry> {
  @ApiProperty({ type: () => [AuditEntry], description: 'In log order' })
  items!: AuditEntry[];

  @ApiProperty({ type: 'integer', description: 'Entries the filter matches' })
  total!: number;

  @ApiProperty({ type: 'integer' })
  limit!: number;

  @ApiProperty({ type: 'integer' })
  offset!: number;
}
