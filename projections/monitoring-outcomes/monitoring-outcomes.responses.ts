import { ApiProperty } from '@nestjs/swagger';
import { BUSINESS_STATUSES, CHALLENGES } from '../../src/domain/recipient/recipient.commands';
import type { MonitoringOutcomes as MonitoringOutcomesShape } from './monitoring-outcomes.queries';

/** A count per name, every name present (0 when none). */
const countsOf = (names: readonly string[]) => ({
  type: 'object' as const,
  required: [...names],
  properties: Object.fromEntries(
    names.map((name) => [name, { type: 'integer' as const, minimum: 0 }]),
  ),
  additionalProperties: false,
  // `required` above lists the counts; the object itself is required too.
  selfRequired: true,
});

/** The answer of GET /monitoring/outcomes. */
export class MonitoringOutcomes implements MonitoringOutcomesShape {
  @ApiProperty({ type: 'integer', nullable: true, description: 'null: every year' })
  year!: number | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'null: every regency/city' })
  regencyCode!: string | null;

  @ApiProperty({ type: 'integer', description: 'Recipients holding aid' })
  recipients!: number;

  @ApiProperty({
    ...countsOf([...BUSINESS_STATUSES, 'NOT_MONITORED']),
    description: 'Recipients by the status of their latest visit; NOT_MONITORED: no visit yet',
  })
  byStatus!: MonitoringOutcomesShape['byStatus'];

  @ApiProperty({ type: 'integer', description: 'Workers at the latest visits' })
  workers!: number;

  @ApiProperty({ type: 'integer' })
  workersFromPoorHouseholds!: number;

  @ApiProperty({
    ...countsOf(CHALLENGES),
    description: 'How many businesses named each challenge at their latest visit',
  })
  challenges!: MonitoringOutcomesShape['challenges'];
}
