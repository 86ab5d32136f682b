import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { localDate } from '../domain/programme/aid-programme';
import {
  MEMBER_ROLES,
  type MemberRole,
  type ReplaceMember,
} from '../domain/recipient/recipient.commands';
import { recipientDecider } from '../domain/recipient/recipient.decider';
import { MEMBER_DEPARTURES, type MemberDeparture } from '../domain/recipient/recipient.events';
import { streams } from '../domain/streams';
import { ApiCommand } from '../http/api-responses';
import type { AuthenticatedRequest } from '../http/auth/principal';
import { Roles } from '../http/auth/roles.decorator';
import { commandContext } from '../http/command-context';
import { RecipientParams } from '../http/recipient.params';
import { IsDateText, IsNikText, IsText } from '../http/text.validators';
import { MeasuredCommand } from '../operations/metrics/command-metrics';
import { CLOCK, type Clock } from '../platform/clock';
import type { CommandContext } from '../platform/command-handling/command-context';
import { CommandRunner } from '../platform/command-handling/command-runner';
import { NIK_HASHER, type NikHasher } from '../platform/command-handling/nik-hasher';
import { DATA_KEY_STORE, type DataKeyStore } from '../platform/personal-data/personal-data';
import { claimNik } from './nik-claims';

export class NewMemberBody {
  @IsNikText()
  nik!: string;

  @IsText(200, 'name')
  name!: string;

  /** Absent: the leaving member's role. */
  @IsOptional()
  @IsIn(MEMBER_ROLES, { message: `role must be one of ${MEMBER_ROLES.join(', ')}` })
  role?: MemberRole;
}

export class ReplaceMemberBody {
  @IsIn(MEMBER_DEPARTURES, { message: `departure must be one of ${MEMBER_DEPARTURES.join(', ')}` })
  departure!: MemberDeparture;

  /** The date (WITA) she died or left. */
  @IsDateText()
  effectiveOn!: string;

  @IsText(500)
  reason!: string;

  /** The leaving member's NIK as recorded. */
  @IsNikText()
  leavingNik!: string;

  @IsObject({ message: 'newMember must be an object' })
  @ValidateNested()
  @Type(() => NewMemberBody)
  newMember!: NewMemberBody;
}

export interface ReplacementAnswer {
  position: string;
}

export class ReplaceMemberCommand extends Command<ReplacementAnswer> {
  constructor(
    readonly recipientId: string,
    readonly replacement: ReplaceMemberBody,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Replaces a KUBe member who died or left, in one append: MemberReplaced on the group's stream
 * and the newcomer's NIK claimed as registering claims it. The leaving member's claim stays: she
 * was part of an aided group.
 */
@CommandHandler(ReplaceMemberCommand)
export class ReplaceMemberHandler implements ICommandHandler<ReplaceMemberCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(NIK_HASHER) private readonly hasher: NikHasher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DATA_KEY_STORE) private readonly dataKeys: DataKeyStore,
  ) {}

  async execute({
    recipientId,
    replacement,
    context,
  }: ReplaceMemberCommand): Promise<ReplacementAnswer> {
    const { departure, effectiveOn, reason, leavingNik, newMember } = replacement;
    const now = this.clock.now();
    const command: ReplaceMember = {
      type: 'ReplaceMember',
      departure,
      effectiveOn,
      reason,
      leavingNikHash: this.hasher.hash(leavingNik),
      newMember: {
        nik: newMember.nik,
        nikHash: this.hasher.hash(newMember.nik),
        name: newMember.name,
        // The newcomer's own key, which her name is encrypted with.
        dataKeyId: await this.dataKeys.newKeyId(),
        ...(newMember.role === undefined ? {} : { role: newMember.role }),
      },
      today: localDate(now),
    };
    const stream = streams.recipient(recipientId);
    return this.runner.execute(
      context,
      async (unit) => {
        // The group's rules first: a refused replacement reads no NIK stream.
        await unit.decide(stream, recipientDecider, command);
        await claimNik(
          unit,
          command.newMember.nikHash,
          recipientId,
          'newMember.nik',
          now.toISOString(),
        );
        return {};
      },
      { locks: [stream, streams.nik(command.newMember.nikHash)] },
    );
  }
}

@ApiTags('recipients')
@Controller('recipients/:id/member-replacements')
export class ReplaceMemberController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * A KUBe member who died or left, replaced by a newcomer who takes her role (or `role`, as long
   * as the group keeps exactly one CHAIR). The newcomer's NIK obeys every rule of registering.
   */
  @Post()
  @Roles('operator', 'admin')
  @HttpCode(200)
  @MeasuredCommand('ReplaceMember')
  @ApiCommand({
    operationId: 'replaceMember',
    summary: 'Replace a KUBe member who died or left',
    description:
      'The newcomer takes her role (or `role`, as long as the group keeps exactly one CHAIR); ' +
      'her NIK obeys every rule of registering.',
    status: 200,
    answer: {},
    errors: {
      400: [
        'INVALID_NIK',
        'INVALID_DATE',
        'ONE_CHAIR_REQUIRED',
        'DUPLICATE_MEMBER_NIK',
        'REASON_REQUIRED',
        'INVALID_TEXT',
      ],
      404: ['RECIPIENT_NOT_FOUND'],
      409: [
        'NOT_A_KUBE',
        'NOT_A_MEMBER',
        'NIK_ALREADY_REGISTERED',
        'DATE_IN_FUTURE',
        'DATE_BEFORE_MEMBER_JOINED',
        'RECIPIENT_WITHDRAWN',
        'PERSONAL_DATA_ERASED',
      ],
    },
    idempotent: true,
  })
  replace(
    @Param() params: RecipientParams,
    @Body() body: ReplaceMemberBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<ReplacementAnswer> {
    return this.commandBus.execute(
      new ReplaceMemberCommand(params.id, body, commandContext(request)),
    );
  }
}
