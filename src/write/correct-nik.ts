import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { nikClaimDecider } from '../domain/nik-claim/nik-claim.decider';
import type { CorrectNik } from '../domain/recipient/recipient.commands';
import { recipientDecider } from '../domain/recipient/recipient.decider';
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
import { CLOCK, type Clock } from '../platform/clock';
import type { CommandContext } from '../platform/command-handling/command-context';
import { CommandRunner } from '../platform/command-handling/command-runner';
import { NIK_HASHER, type NikHasher } from '../platform/command-handling/nik-hasher';
import { claimNik } from './nik-claims';

export class CorrectNikBody {
  @IsText(500)
  reason!: string;

  /** The NIK as recorded: required for a KUBe member (it finds her); checked when given for RSE. */
  @UnlessAbsent()
  @IsNikText()
  nik?: string;

  @IsNikText()
  newNik!: string;
}

export interface NikCorrectionAnswer {
  position: string;
}

export class CorrectNikCommand extends Command<NikCorrectionAnswer> {
  constructor(
    readonly recipientId: string,
    readonly correction: CorrectNikBody,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Corrects a mistyped NIK in one append: NikCorrected on the recipient's stream, the old NIK's
 * claim released (CORRECTED) so that its real owner can be registered, and the new NIK claimed
 * under the rules of registering (held by anyone else: 409 NIK_ALREADY_REGISTERED).
 */
@CommandHandler(CorrectNikCommand)
export class CorrectNikHandler implements ICommandHandler<CorrectNikCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(NIK_HASHER) private readonly hasher: NikHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    recipientId,
    correction,
    context,
  }: CorrectNikCommand): Promise<NikCorrectionAnswer> {
    const command: CorrectNik = {
      type: 'CorrectNik',
      reason: correction.reason,
      ...(correction.nik === undefined ? {} : { nikHash: this.hasher.hash(correction.nik) }),
      newNik: { nik: correction.newNik, nikHash: this.hasher.hash(correction.newNik) },
    };
    const stream = streams.recipient(recipientId);
    const newNikStream = streams.nik(command.newNik.nikHash);
    // Queues behind other commands on the old NIK too, when it is known before reading.
    const { state: known } = await this.runner.read(stream, recipientDecider);
    const knownOld =
      command.nikHash ??
      (known.status === 'registered' && known.details.kind === 'RSE'
        ? known.details.nik.nikHash
        : undefined);
    const locks = [stream, newNikStream, ...(knownOld ? [streams.nik(knownOld)] : [])];
    return this.runner.execute(
      context,
      async (unit) => {
        const before = await unit.read(stream, recipientDecider);
        // The recipient's rules first: a refused correction reads no NIK stream.
        await unit.decide(stream, recipientDecider, command);
        // Narrows only: the decision above refused a recipient not registered.
        const { details } = requireRegistered(before);
        const oldNikHash =
          details.kind === 'RSE' ? details.nik.nikHash : (command.nikHash as string);
        await claimNik(
          unit,
          command.newNik.nikHash,
          recipientId,
          'newNik',
          this.clock.now().toISOString(),
        );
        await unit.decide(streams.nik(oldNikHash), nikClaimDecider, {
          type: 'ReleaseNik',
          recipientId,
          reason: 'CORRECTED',
        });
        return {};
      },
      { locks },
    );
  }
}

@ApiTags('recipients')
@Controller('recipients/:id/nik-corrections')
export class CorrectNikController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Replaces a mistyped NIK: the RSE woman's (`nik` optional) or a KUBe member's (`nik`, as
   * recorded, required). The new NIK obeys every rule of registering. NIKs travel in the body
   * only, never in a URL.
   */
  @Post()
  @Roles('operator', 'admin')
  @HttpCode(200)
  @MeasuredCommand('CorrectNik')
  @ApiCommand({
    operationId: 'correctNik',
    summary: 'Replace a mistyped NIK of an RSE woman or a KUBe member',
    description:
      'The woman’s NIK (`nik` optional) or a KUBe member’s (`nik`, as recorded, required). The ' +
      'new NIK obeys every rule of registering. NIKs travel in the body only, never in a URL.',
    status: 200,
    answer: {},
    errors: {
      400: [
        'INVALID_NIK',
        'NIK_REQUIRED',
        'NIK_UNCHANGED',
        'NIK_NOT_FEMALE',
        'DUPLICATE_MEMBER_NIK',
        'REASON_REQUIRED',
      ],
      404: ['RECIPIENT_NOT_FOUND'],
      409: ['NIK_ALREADY_REGISTERED', 'NIK_NOT_OF_RECIPIENT', 'PERSONAL_DATA_ERASED'],
    },
    idempotent: true,
  })
  correct(
    @Param() params: RecipientParams,
    @Body() body: CorrectNikBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<NikCorrectionAnswer> {
    return this.commandBus.execute(new CorrectNikCommand(params.id, body, commandContext(request)));
  }
}
