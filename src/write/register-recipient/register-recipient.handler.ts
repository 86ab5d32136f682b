import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../platform/clock';
import { ruleViolated } from '../../domain/domain-error';
import { nikClaimDecider } from '../../domain/nik-claim/nik-claim.decider';
import type {
  KubeRegistration,
  RegisterRecipient,
  RseRegistration,
} from '../../domain/recipient/recipient.commands';
import { recipientDecider } from '../../domain/recipient/recipient.decider';
import type { CommandUnit } from '../../platform/command-handling/command-unit';
import { CommandRunner } from '../../platform/command-handling/command-runner';
import { NIK_HASHER, type NikHasher } from '../../platform/command-handling/nik-hasher';
import { streams } from '../../domain/streams';
import type { CommandContext } from '../../platform/command-handling/command-context';

/** A registration as asked: NIKs in the clear, to be validated and hashed by the handler. */
export type RegistrationInput =
  | Omit<RseRegistration, 'nikHash'>
  | (Omit<KubeRegistration, 'members'> & {
      members: Omit<KubeRegistration['members'][number], 'nikHash'>[];
    });

export interface RegistrationAnswer {
  recipientId: string;
  position: string;
}

export class RegisterRecipientCommand extends Command<RegistrationAnswer> {
  constructor(
    readonly registration: RegistrationInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Registers an RSE woman or a KUBe in one append: `RecipientRegistered` on the new recipient's
 * stream and a claim on each NIK's stream (`nik-<keyed hash>`), each NIK stream expecting the
 * revision it was read at. A NIK another registration holds refuses the request; two requests
 * racing for one NIK cannot both append, so the loser is read again and refused.
 */
@CommandHandler(RegisterRecipientCommand)
export class RegisterRecipientHandler implements ICommandHandler<RegisterRecipientCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(NIK_HASHER) private readonly hasher: NikHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ registration, context }: RegisterRecipientCommand): Promise<RegistrationAnswer> {
    const recipientId = randomUUID();
    const command: RegisterRecipient = {
      type: 'RegisterRecipient',
      recipientId,
      registration:
        registration.kind === 'RSE'
          ? { ...registration, nikHash: this.hasher.hash(registration.nik) }
          : {
              ...registration,
              members: registration.members.map((member) => ({
                ...member,
                nikHash: this.hasher.hash(member.nik),
              })),
            },
    };
    const niks =
      command.registration.kind === 'RSE'
        ? [{ nikHash: command.registration.nikHash, field: 'nik' }]
        : command.registration.members.map((member, index) => ({
            nikHash: member.nikHash,
            field: `members.${index}.nik`,
          }));
    const recipientStream = streams.recipient(recipientId);
    const locks = [recipientStream, ...niks.map(({ nikHash }) => streams.nik(nikHash))];
    // The registration's own rules first, so invalid input is refused before any NIK is read.
    recipientDecider.decide(command, recipientDecider.initialState());
    return this.runner.execute(
      context,
      async (unit) => {
        const claimedAt = this.clock.now().toISOString();
        for (const { nikHash, field } of niks) {
          await this.claim(unit, nikHash, recipientId, field, claimedAt);
        }
        unit.create(recipientStream, recipientDecider);
        await unit.decide(recipientStream, recipientDecider, command);
        return { recipientId };
      },
      { locks },
    );
  }

  private async claim(
    unit: CommandUnit,
    nikHash: string,
    recipientId: string,
    field: string,
    claimedAt: string,
  ): Promise<void> {
    const stream = streams.nik(nikHash);
    const { holder } = await unit.read(stream, nikClaimDecider);
    if (holder === null) {
      await unit.decide(stream, nikClaimDecider, { type: 'ClaimNik', recipientId, claimedAt });
      return;
    }
    // Older logs may hold the claim of a registration whose request died before registering:
    // its recipient stream was never written, and no process can write it any more.
    const held = await unit.read(streams.recipient(holder), recipientDecider);
    if (held.status === 'registered') {
      throw ruleViolated(
        'NIK_ALREADY_REGISTERED',
        `${field} is already registered in the programme`,
        field,
      );
    }
    await unit.decide(stream, nikClaimDecider, {
      type: 'TakeOverNik',
      recipientId,
      abandonedBy: holder,
      claimedAt,
    });
  }
}
