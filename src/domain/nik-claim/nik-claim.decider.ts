import type { Decider } from '../decider';
import type { NikClaimCommand } from './nik-claim.commands';
import type { NikClaimEvent } from './nik-claim.events';

export type NikClaimState =
  | { holder: null }
  | {
      /** The recipient holding the NIK. */
      holder: string;
      claimedAt: string;
    };

/**
 * Thrown when another recipient holds the NIK; the caller decides whether that holder is a real
 * registration or, in an older log, one that died half-way.
 */
export class NikHeldByAnother extends Error {
  constructor(
    readonly holder: string,
    readonly claimedAt: string,
  ) {
    super('The NIK is claimed by another recipient');
  }
}

export const nikClaimDecider: Decider<NikClaimCommand, NikClaimEvent, NikClaimState> = {
  initialState: () => ({ holder: null }),

  decide(command, state) {
    switch (command.type) {
      case 'ClaimNik':
        if (state.holder === command.recipientId) return [];
        if (state.holder !== null) throw new NikHeldByAnother(state.holder, state.claimedAt);
        return [
          {
            type: 'NikClaimed',
            data: { recipientId: command.recipientId, claimedAt: command.claimedAt },
          },
        ];

      case 'TakeOverNik': {
        const claimed: NikClaimEvent = {
          type: 'NikClaimed',
          data: { recipientId: command.recipientId, claimedAt: command.claimedAt },
        };
        if (state.holder === command.recipientId) return [];
        if (state.holder === null) return [claimed];
        if (state.holder !== command.abandonedBy)
          throw new NikHeldByAnother(state.holder, state.claimedAt);
        return [
          { type: 'NikReleased', data: { recipientId: command.abandonedBy, reason: 'ABANDONED' } },
          claimed,
        ];
      }

      case 'ReleaseNik':
        // Nothing to give up when the recipient does not hold it (an older log's lost claim).
        if (state.holder !== command.recipientId) return [];
        return [
          {
            type: 'NikReleased',
            data: { recipientId: command.recipientId, reason: command.reason },
          },
        ];

      default: {
        const unhandled: never = command;
        throw new Error(`Unhandled command ${JSON.stringify(unhandled)}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'NikClaimed':
        return { holder: event.data.recipientId, claimedAt: event.data.claimedAt };
      case 'NikReleased':
        return state.holder === event.data.recipientId ? { holder: null } : state;
    }
  },
};
