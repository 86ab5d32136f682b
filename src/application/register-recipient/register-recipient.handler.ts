import { randomUUID } from 'node:crypto';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../common/clock';
import { ruleViolated } from '../../domain/domain-error';
import { NikHeldByAnother, nikClaimDecider } from '../../domain/nik-registry/nik-claim.decider';
import type { RegisterRecipient } from '../../domain/recipient/recipient.commands';
import { recipientDecider } from '../../domain/recipient/recipient.decider';
import type { EventContext } from '../../event-store/event-metadata';
import { answerPosition } from '../command-handling/answer-position';
import { certainlyNotWritten } from '../command-handling/certainly-not-written';
import { CommandRunner } from '../command-handling/command-runner';
import { NIK_HASHER, type NikHasher } from '../nik-hashing/nik-hasher';
import { streams } from '../streams';
import { RegisterRecipientCommand, type RegistrationAnswer } from './register-recipient.command';

/** A claim whose registration has not finished after this long is presumed dead. */
const STALE_CLAIM_MS = 30_000;
/** While another request is registering the same NIK, wait this many times for it to finish. */
const WAITS_FOR_OTHER_REGISTRATION = 250;
const WAIT_MS = 20;

/**
 * Registers an RSE woman or a KUBe. Each NIK is first claimed in its own stream (`nik-<hash>`),
 * in hash order; only when every NIK is held is the recipient's stream written, and that append
 * (expected: no stream) is the commit point. If anything fails, the claims made are released.
 * A claim left by a request that died is taken over only after fencing its recipient stream with
 * RegistrationAbandoned, so that the dead registration can never complete later.
 */
@CommandHandler(RegisterRecipientCommand)
export class RegisterRecipientHandler implements ICommandHandler<RegisterRecipientCommand> {
  private readonly logger = new Logger('RegisterRecipient');

  constructor(
    private readonly runner: CommandRunner,
    @Inject(NIK_HASHER) private readonly hasher: NikHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ registration, context }: RegisterRecipientCommand): Promise<RegistrationAnswer> {
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
    // Invalid input is refused before anything is written, claims included.
    recipientDecider.decide(command, recipientDecider.initialState());

    const niks =
      command.registration.kind === 'RSE'
        ? [{ nikHash: command.registration.nikHash, field: 'nik' }]
        : command.registration.members.map((member, index) => ({
            nikHash: member.nikHash,
            field: `members.${index}.nik`,
          }));
    niks.sort((a, b) => a.nikHash.localeCompare(b.nikHash));

    // A NIK registered already refuses the request before anything is claimed; only a race with
    // a registration that completes meanwhile gets as far as claiming and releasing.
    for (const { nikHash, field } of niks) await this.refuseIfRegistered(nikHash, field);

    const claimed: string[] = [];
    try {
      for (const { nikHash, field } of niks) {
        await this.claim(nikHash, recipientId, field, context);
        claimed.push(nikHash);
      }
    } catch (error) {
      await this.release(claimed, recipientId, context);
      throw error;
    }
    try {
      const result = await this.runner.run(
        streams.recipient(recipientId),
        recipientDecider,
        command,
        context,
      );
      return { recipientId, position: answerPosition(result) };
    } catch (error) {
      // If the registration may have been stored, its claims must stand: a later registration of
      // the same NIK fences this stream before taking a claim over, which settles it either way.
      if (certainlyNotWritten(error)) await this.release(claimed, recipientId, context);
      throw error;
    }
  }

  private async refuseIfRegistered(nikHash: string, field: string): Promise<void> {
    const { state } = await this.runner.read(streams.nik(nikHash), nikClaimDecider);
    if (state.holder === null) return;
    const holder = await this.runner.read(streams.recipient(state.holder), recipientDecider);
    if (holder.state.status === 'registered') throw nikAlreadyRegistered(field);
  }

  private async claim(
    nikHash: string,
    recipientId: string,
    field: string,
    context: EventContext,
  ): Promise<void> {
    let abandonedBy: string | null = null;
    for (let wait = 0; ;) {
      const now = this.clock.now();
      const claimedAt = now.toISOString();
      try {
        await this.runner.run(
          streams.nik(nikHash),
          nikClaimDecider,
          abandonedBy === null
            ? { type: 'ClaimNik', recipientId, claimedAt }
            : { type: 'TakeOverNik', recipientId, abandonedBy, claimedAt },
          context,
        );
        return;
      } catch (error) {
        if (!(error instanceof NikHeldByAnother)) throw error;
        abandonedBy = null;
        const holder = error.holder;
        const { state } = await this.runner.read(streams.recipient(holder), recipientDecider);
        if (state.status === 'registered') throw nikAlreadyRegistered(field);
        const staleBefore = new Date(now.getTime() - STALE_CLAIM_MS).toISOString();
        if (state.status === 'abandoned' || error.claimedAt < staleBefore) {
          const fence = await this.runner.run(
            streams.recipient(holder),
            recipientDecider,
            { type: 'AbandonRegistration', recipientId: holder },
            context,
          );
          if (fence.state.status !== 'registered') abandonedBy = holder;
          continue;
        }
        if (++wait > WAITS_FOR_OTHER_REGISTRATION) {
          throw ruleViolated(
            'NIK_REGISTRATION_IN_PROGRESS',
            `${field} is being registered by another request; retry shortly`,
            field,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
      }
    }
  }

  /** Best effort: a claim left behind is taken over once stale, so a failure here loses nothing. */
  private async release(
    claimed: string[],
    recipientId: string,
    context: EventContext,
  ): Promise<void> {
    for (const nikHash of claimed) {
      try {
        await this.runner.run(
          streams.nik(nikHash),
          nikClaimDecider,
          { type: 'ReleaseNik', recipientId, reason: 'REGISTRATION_FAILED' },
          context,
        );
      } catch (error) {
        this.logger.warn(
          `Could not release a NIK claim of recipient ${recipientId}: ${(error as Error).name}`,
        );
      }
    }
  }
}

function nikAlreadyRegistered(field: string) {
  return ruleViolated(
    'NIK_ALREADY_REGISTERED',
    `${field} is already registered in the programme`,
    field,
  );
}
