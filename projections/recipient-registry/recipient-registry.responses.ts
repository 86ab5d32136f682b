import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { AID_KINDS, type AidKind } from '../../src/domain/programme/aid-programme';
import {
  AID_FORMS,
  BUSINESS_STATUSES,
  CHALLENGES,
  MEMBER_ROLES,
  type AidForm,
  type BusinessStatus,
  type Challenge,
  type MemberRole,
} from '../../src/domain/recipient/recipient.commands';
import {
  MEMBER_DEPARTURES,
  type MemberDeparture,
} from '../../src/domain/recipient/recipient.events';
import type { Page } from '../../src/read/page';
import {
  STANDINGS,
  STATUSES,
  type RecipientDocument,
  type Standing,
} from './recipient-registry.projection';
import type {
  FormerMemberView,
  MemberView,
  NikHolder,
  RecipientView,
} from './recipient-registry.queries';
import type {
  NikLookupAnswer,
  RecipientCount as RecipientCountShape,
} from './recipient-registry.routes';

/** The answers of the registry's routes: the list, one recipient, the NIK lookup. */

export class RegistryMember implements MemberView {
  @ApiProperty({ description: '`[dihapus]` once her data is erased' })
  name!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  role!: MemberRole;

  @ApiProperty({ example: '6472********0001' })
  nikMasked!: string;
}

export class FormerRegistryMember extends RegistryMember implements FormerMemberView {
  @ApiProperty({ enum: MEMBER_DEPARTURES })
  departure!: MemberDeparture;

  @ApiProperty({ format: 'date' })
  leftOn!: string;
}

class MovedFrom {
  @ApiProperty({ example: '64.02' })
  regencyCode!: string;

  @ApiProperty()
  regencyName!: string;

  @ApiProperty({ format: 'date' })
  movedOn!: string;
}

class RecipientAid {
  @ApiProperty({ description: '`<recipientId>.<attempt>`', example: '6f1c2b9e-…-2d8e4b7c1a90.1' })
  disbursementId!: string;

  @ApiProperty({ type: 'integer' })
  year!: number;

  @ApiProperty({ enum: AID_FORMS })
  form!: AidForm;

  @ApiProperty({ type: 'integer' })
  valueRupiah!: number;

  @ApiProperty({ format: 'date' })
  disbursedOn!: string;

  @ApiProperty({ type: 'string', format: 'date', nullable: true })
  reversedOn!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  reversalReason!: string | null;
}

class LatestMonitoring {
  @ApiProperty({ format: 'date' })
  visitDate!: string;

  @ApiProperty({ enum: BUSINESS_STATUSES })
  businessStatus!: BusinessStatus;

  @ApiProperty({ type: 'integer' })
  monthlyTurnoverRupiah!: number;

  @ApiProperty({ type: 'integer' })
  workers!: number;

  @ApiProperty({ type: 'integer' })
  workersFromPoorHouseholds!: number;

  @ApiProperty({ enum: CHALLENGES, isArray: true })
  challenges!: Challenge[];
}

export class Recipient implements RecipientView {
  @ApiProperty({ format: 'uuid' })
  recipientId!: string;

  @ApiProperty({ enum: AID_KINDS })
  kind!: AidKind;

  @ApiProperty({ example: '64.72', description: 'Where she lives now' })
  regencyCode!: string;

  @ApiProperty({ example: 'Kota Samarinda' })
  regencyName!: string;

  @ApiProperty({
    type: () => MovedFrom,
    nullable: true,
    description: 'Her latest move; null: never moved',
  })
  movedFrom!: MovedFrom | null;

  @ApiProperty({
    description: 'The woman’s name or the KUBe’s group name; `[dihapus]` once erased',
  })
  name!: string;

  @ApiProperty()
  businessType!: string;

  @ApiProperty({
    type: [String],
    example: ['6472********0001'],
    description: 'Current NIKs, masked',
  })
  maskedNiks!: string[];

  @ApiProperty({
    type: () => [RegistryMember],
    nullable: true,
    description: 'null for an RSE woman',
  })
  members!: RegistryMember[] | null;

  @ApiProperty({ type: () => [FormerRegistryMember] })
  formerMembers!: FormerRegistryMember[];

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    description: 'Only to operators and monitors (absent for other roles); null: none given',
  })
  phone?: string | null;

  @ApiProperty({ enum: STANDINGS })
  standing!: Standing;

  @ApiProperty({
    type: 'string',
    format: 'date',
    nullable: true,
    description: 'The day she died or withdrew',
  })
  standingOn!: string | null;

  @ApiProperty({ enum: STATUSES })
  status!: RecipientDocument['status'];

  @ApiProperty({ format: 'date-time' })
  registeredAt!: string;

  @ApiProperty({
    type: 'integer',
    description: 'Position of the registration: the registry’s order',
  })
  registeredPosition!: number;

  @ApiProperty({
    type: () => RecipientAid,
    nullable: true,
    description: 'The aid she holds or held',
  })
  disbursement!: RecipientAid | null;

  @ApiProperty({ type: () => LatestMonitoring, nullable: true })
  latestMonitoring!: LatestMonitoring | null;

  @ApiProperty({ type: 'integer' })
  mentoringCount!: number;

  @ApiProperty({ type: 'integer' })
  exhibitionCount!: number;
}

export class RecipientCount implements RecipientCountShape {
  @ApiProperty({ type: 'integer', description: 'Recipients the filters match' })
  total!: number;

  @ApiProperty({ type: 'integer' })
  limit!: number;

  @ApiProperty({ type: 'integer' })
  offset!: number;
}

export class RecipientPage extends RecipientCount implements Page<Recipient> {
  @ApiProperty({ type: () => [Recipient] })
  items!: Recipient[];
}

export class RecipientHolder {
  @ApiProperty({ enum: ['RECIPIENT'] })
  as!: 'RECIPIENT';

  @ApiProperty()
  name!: string;

  @ApiProperty({ example: '6472********0001' })
  nikMasked!: string;
}

export class MemberHolder {
  @ApiProperty({ enum: ['MEMBER'] })
  as!: 'MEMBER';

  @ApiProperty()
  name!: string;

  @ApiProperty()
  nikMasked!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  role!: MemberRole;
}

export class FormerMemberHolder {
  @ApiProperty({ enum: ['FORMER_MEMBER'] })
  as!: 'FORMER_MEMBER';

  @ApiProperty()
  name!: string;

  @ApiProperty()
  nikMasked!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  role!: MemberRole;

  @ApiProperty({ enum: MEMBER_DEPARTURES })
  departure!: MemberDeparture;

  @ApiProperty({ format: 'date' })
  leftOn!: string;
}

@ApiExtraModels(RecipientHolder, MemberHolder, FormerMemberHolder)
export class NikLookup implements NikLookupAnswer {
  @ApiProperty({
    description: 'Who in the record holds the NIK: the woman, a member or a former member',
    oneOf: [RecipientHolder, MemberHolder, FormerMemberHolder].map((holder) => ({
      $ref: getSchemaPath(holder),
    })),
    discriminator: {
      propertyName: 'as',
      mapping: {
        RECIPIENT: getSchemaPath(RecipientHolder),
        MEMBER: getSchemaPath(MemberHolder),
        FORMER_MEMBER: getSchemaPath(FormerMemberHolder),
      },
    },
  })
  holder!: NikHolder;

  @ApiProperty({ type: () => Recipient })
  recipient!: Recipient;
}
