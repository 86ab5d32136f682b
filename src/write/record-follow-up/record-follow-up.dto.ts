import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
} from 'class-validator';
import {
  BUSINESS_STATUSES,
  CHALLENGES,
  type BusinessStatus,
  type Challenge,
} from '../../domain/recipient/recipient.commands';
import { IsDateText, IsText } from '../../http/text.validators';

const WholeNumber = (field: string, max: number): PropertyDecorator[] => [
  IsInt({ message: `${field} must be a whole number` }),
  Min(0, { message: `${field} must not be negative` }),
  Max(max, { message: `${field} must be at most ${max}` }),
];

function apply(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

export class RecordMonitoringBody {
  @IsDateText()
  visitDate!: string;

  @IsIn(BUSINESS_STATUSES, {
    message: `businessStatus must be one of ${BUSINESS_STATUSES.join(', ')}`,
  })
  businessStatus!: BusinessStatus;

  @apply(WholeNumber('monthlyTurnoverRupiah', 1_000_000_000_000))
  monthlyTurnoverRupiah!: number;

  @apply(WholeNumber('workers', 10_000))
  workers!: number;

  @apply(WholeNumber('workersFromPoorHouseholds', 10_000))
  workersFromPoorHouseholds!: number;

  @IsArray({ message: 'challenges must be a list' })
  @ArrayMaxSize(CHALLENGES.length)
  @ArrayUnique({ message: 'challenges must not repeat' })
  @IsIn(CHALLENGES, {
    each: true,
    message: `each challenge must be one of ${CHALLENGES.join(', ')}`,
  })
  challenges!: Challenge[];

  @IsOptional()
  @IsText(2000)
  notes?: string;
}

export class RecordMentoringBody {
  @IsText(200)
  partner!: string;

  @IsText(500)
  topic!: string;

  @IsDateText()
  date!: string;
}

export class RecordExhibitionBody {
  @IsText(200)
  name!: string;

  @IsDateText()
  date!: string;
}
