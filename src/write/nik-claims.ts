import { ruleViolated } from '../domain/domain-error';
import { nikClaimDecider } from '../domain/nik-claim/nik-claim.decider';
import { recipientDecider } from '../domain/recipient/recipient.decider';
import { streams } from '../domain/streams';
import type { CommandUnit } from '../platform/command-handling/command-unit';

/**
 * Claims a NIK for `recipientId` in the command's append, as registering does: a NIK another
 * registered recipient holds is refused (409 NIK_ALREADY_REGISTERED, naming `field`); one the
 * recipient holds already stays as it is. Shared by registration, NIK correction and member
 * replacement, so that a NIK is registrable once in the whole programme whatever the path.
 */
export async function claimNik(
  unit: CommandUnit,
  nikHash: string,
  recipientId: string,
  field: string,
  claimedAt: string,
): Promise<void> {
  const stream = streams.nik(nikHash);
  const { holder } = await unit.read(stream, nikClaimDecider);
  if (holder === null || holder === recipientId) {
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
