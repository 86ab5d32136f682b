import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { EraseRecipientPersonalData } from '../domain/recipient/recipient.commands';
import { recipientDecider } from '../domain/recipient/recipient.decider';
import { erasureKeys } from '../domain/recipient/recipient.erasure';
import { requireRegistered } from '../domain/recipient/recipient.requirements';
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
import { DATA_KEY_STORE, type DataKeyStore } from '../platform/personal-data/personal-data';

export class ErasePersonalDataBody {
  /** The legal ground: the person's request under UU 27/2022, the end of retention… */
  @IsText(500)
  reason!: string;

  /** The number of the letter or decision the erasure rests on. */
  @IsText(100)
  reference!: string;

  /** A KUBe member's NIK as recorded (current or former member): her data alone is erased. */
  @UnlessAbsent()
  @IsNikText()
  memberNik?: string;
}

export interface ErasureAnswer {
  /** The data keys destroyed: 1 for an RSE woman or one member, the group's and each member's for a KUBe. */
  dataKeysDestroyed: number;
  position: string;
}

export class ErasePersonalDataCommand extends Command<ErasureAnswer> {
  constructor(
    readonly recipientId: string,
    readonly erasure: ErasePersonalDataBody,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Erases personal data for good: appends PersonalDataErased, then destroys the data keys, which
 * leaves the names, phone, address and notes unreadable in every copy of the log while its
 * hashes and figures stay. A retry of an erasure already recorded appends nothing and destroys
 * the keys again, so a crash between the append and the destruction is repaired by retrying.
 */
@CommandHandler(ErasePersonalDataCommand)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalDataCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(NIK_HASHER) private readonly hasher: NikHasher,
    @Inject(DATA_KEY_STORE) private readonly dataKeys: DataKeyStore,
  ) {}

  async execute({
    recipientId,
    erasure,
    context,
  }: ErasePersonalDataCommand): Promise<ErasureAnswer> {
    const { reason, reference, memberNik } = erasure;
    const command: EraseRecipientPersonalData = {
      type: 'EraseRecipientPersonalData',
      reason,
      reference,
      ...(memberNik === undefined ? {} : { memberNikHash: this.hasher.hash(memberNik) }),
    };
    const stream = streams.recipient(recipientId);
    // The Idempotency-Key's answer is recorded after the keys are destroyed (the interceptor
    // does so for a command that did not), not in the append: a retry with the same key after a
    // crash in between then runs again and finishes the erasure instead of replaying an answer.
    const { idempotency: _recordedAfterwards, ...unkeyed } = context;
    let dataKeyIds: string[] = [];
    const answer = await this.runner.execute(
      unkeyed,
      async (unit) => {
        const erased = await unit.decide(stream, recipientDecider, command);
        dataKeyIds = erasureKeys(requireRegistered(erased), command.memberNikHash);
        return { dataKeysDestroyed: dataKeyIds.length };
      },
      { locks: [stream] },
    );
    await this.dataKeys.destroy(dataKeyIds);
    return answer;
  }
}

@ApiTags('recipients')
@Controller('recipients/:id/erasure')
export class ErasePersonalDataController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Erases personal data on a legal ground, for good (admin only): the RSE woman's, or a KUBe's
   * (the group's name and every member's, former members too), or with `memberNik` one member's.
   * Aid, counts, dates and regencies stay exact; names, phone, address and notes read `[dihapus]`.
   * A recipient registered before personal data was encrypted is refused (409
   * PERSONAL_DATA_NOT_ENCRYPTED) until the log is migrated (docs/privacy.md).
   */
  @Post()
  @Roles('admin')
  @HttpCode(200)
  @MeasuredCommand('ErasePersonalData')
  @ApiCommand({
    operationId: 'erasePersonalData',
    summary: 'Erase a recipient’s (or one KUBe member’s) personal data for good',
    description:
      'On a legal ground: the RSE woman’s data, or a KUBe’s (the group’s name and every ' +
      'member’s, former members too), or with `memberNik` one member’s. Aid, counts, dates and ' +
      'regencies stay exact; names, phone, address and notes read `[dihapus]` everywhere. A retry ' +
      'destroys again and writes nothing.',
    status: 200,
    answer: {
      dataKeysDestroyed: {
        type: 'integer',
        minimum: 0,
        description: 'Data keys destroyed by this request (a retry destroys again, writes nothing)',
      },
    },
    errors: {
      400: ['REASON_REQUIRED', 'REFERENCE_REQUIRED', 'INVALID_NIK', 'INVALID_TEXT'],
      404: ['RECIPIENT_NOT_FOUND'],
      409: ['NOT_A_KUBE', 'NOT_A_MEMBER', 'PERSONAL_DATA_NOT_ENCRYPTED'],
    },
    idempotent: true,
  })
  erase(
    @Param() params: RecipientParams,
    @Body() body: ErasePersonalDataBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<ErasureAnswer> {
    return this.commandBus.execute(
      new ErasePersonalDataCommand(params.id, body, commandContext(request)),
    );
  }
}
