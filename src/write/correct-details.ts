import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  Matches,
  ValidateNested,
} from 'class-validator';
import type { CorrectDetails } from '../domain/recipient/recipient.commands';
import { recipientDecider } from '../domain/recipient/recipient.decider';
import { KUBE_SIZE } from '../domain/recipient/recipient.registration';
import { streams } from '../domain/streams';
import { ApiCommand } from '../http/api-responses';
import type { AuthenticatedRequest } from '../http/auth/principal';
import { Roles } from '../http/auth/roles.decorator';
import { commandContext } from '../http/command-context';
import { RecipientParams } from '../http/recipient.params';
import { IsNikText, IsText } from '../http/text.validators';
import { UnlessAbsent } from '../http/unless-absent';
import { MeasuredCommand } from '../operations/metrics/command-metrics';
import type { CommandContext } from '../platform/command-handling/command-context';
import { CommandRunner } from '../platform/command-handling/command-runner';
import { NIK_HASHER, type NikHasher } from '../platform/command-handling/nik-hasher';

export class MemberNameBody {
  /** The member's NIK as recorded: it finds her, and is never changed here. */
  @IsNikText()
  nik!: string;

  @IsText(200, 'name')
  name!: string;
}

/**
 * The details to correct, each optional (at least one must change something), and why. RSE:
 * name, phone, address, businessType; KUBe: groupName, businessType, members' names.
 */
export class CorrectDetailsBody {
  @IsText(500)
  reason!: string;

  @UnlessAbsent()
  @IsText(200, 'name')
  name?: string;

  @UnlessAbsent()
  @IsText(200, 'name')
  groupName?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null removes the phone number' })
  @IsOptional()
  @Matches(/^\+?[0-9][0-9 -]{5,19}$/, { message: 'phone must be a phone number of 6 to 20 digits' })
  phone?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'null removes the address' })
  @IsOptional()
  @IsText(500)
  address?: string | null;

  @UnlessAbsent()
  @IsText(100)
  businessType?: string;

  @UnlessAbsent()
  @IsArray({ message: 'members must be a list' })
  @ArrayMinSize(1, { message: 'members must hold at least one member' })
  @ArrayMaxSize(KUBE_SIZE, { message: `members must hold at most ${KUBE_SIZE} members` })
  @ValidateNested({ each: true })
  @Type(() => MemberNameBody)
  members?: MemberNameBody[];
}

export interface CorrectionAnswer {
  position: string;
}

export class CorrectDetailsCommand extends Command<CorrectionAnswer> {
  constructor(
    readonly recipientId: string,
    readonly correction: CorrectDetailsBody,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Corrects a recipient's details: RecipientDetailsCorrected, each change with before and after. */
@CommandHandler(CorrectDetailsCommand)
export class CorrectDetailsHandler implements ICommandHandler<CorrectDetailsCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(NIK_HASHER) private readonly hasher: NikHasher,
  ) {}

  execute({ recipientId, correction, context }: CorrectDetailsCommand): Promise<CorrectionAnswer> {
    const { reason, name, groupName, phone, address, businessType, members } = correction;
    // Absent stays absent: only the fields the request carries are corrections.
    const command: CorrectDetails = {
      type: 'CorrectDetails',
      reason,
      ...(name === undefined ? {} : { name }),
      ...(groupName === undefined ? {} : { groupName }),
      ...(phone === undefined ? {} : { phone }),
      ...(address === undefined ? {} : { address }),
      ...(businessType === undefined ? {} : { businessType }),
      ...(members === undefined
        ? {}
        : {
            memberNames: members.map((member) => ({
              nikHash: this.hasher.hash(member.nik),
              name: member.name,
            })),
          }),
    };
    return this.runner.decideOn(context, streams.recipient(recipientId), recipientDecider, command);
  }
}

@ApiTags('recipients')
@Controller('recipients/:id/detail-corrections')
export class CorrectDetailsController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Corrects details typed wrong at registration (or since): the audit trail keeps each value
   * before and after, the actor and the reason. A NIK is corrected through nik-corrections.
   */
  @Post()
  @Roles('operator', 'admin')
  @HttpCode(200)
  @MeasuredCommand('CorrectDetails')
  @ApiCommand({
    operationId: 'correctDetails',
    summary: 'Correct a recipient’s name, phone, address, business type or members’ names',
    status: 200,
    answer: {},
    errors: {
      400: ['NOTHING_TO_CORRECT', 'FIELD_NOT_FOR_KIND', 'REASON_REQUIRED', 'INVALID_TEXT'],
      404: ['RECIPIENT_NOT_FOUND'],
      409: ['NOT_A_KUBE', 'NOT_A_MEMBER', 'NIK_NOT_OF_RECIPIENT', 'PERSONAL_DATA_ERASED'],
    },
    idempotent: true,
  })
  correct(
    @Param() params: RecipientParams,
    @Body() body: CorrectDetailsBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<CorrectionAnswer> {
    return this.commandBus.execute(
      new CorrectDetailsCommand(params.id, body, commandContext(request)),
    );
  }
}
