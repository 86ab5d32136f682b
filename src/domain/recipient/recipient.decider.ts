/**
 * The recipient's decider: one recipient's stream (`recipient-<id>`), an RSE woman or a KUBe.
 * `decide` hands each command to the module of its concern; `evolve` is the state module's.
 */
import type { Decider } from '../decider';
import type { RecipientCommand } from './recipient.commands';
import { correctDetails, correctNik, replaceMember } from './recipient.corrections';
import { disburseAid, reverseDisbursement } from './recipient.disbursement';
import { eraseRecipientPersonalData } from './recipient.erasure';
import type { RecipientEvent } from './recipient.events';
import {
  recordExhibitionParticipation,
  recordMentoring,
  recordMonitoring,
} from './recipient.follow-up';
import { recordDeath, recordMove, recordWithdrawal } from './recipient.life-events';
import { registerRecipient } from './recipient.registration';
import { evolveRecipient, initialRecipientState, type RecipientState } from './recipient.state';

export const recipientDecider: Decider<RecipientCommand, RecipientEvent, RecipientState> = {
  initialState: initialRecipientState,

  decide(command, state) {
    switch (command.type) {
      case 'RegisterRecipient':
        return registerRecipient(command, state);

      case 'DisburseAid':
        return disburseAid(command, state);

      case 'ReverseDisbursement':
        return reverseDisbursement(command, state);

      case 'RecordMonitoring':
        return recordMonitoring(command, state);

      case 'RecordMentoring':
        return recordMentoring(command, state);

      case 'RecordExhibitionParticipation':
        return recordExhibitionParticipation(command, state);

      case 'CorrectDetails':
        return correctDetails(command, state);

      case 'CorrectNik':
        return correctNik(command, state);

      case 'ReplaceMember':
        return replaceMember(command, state);

      case 'RecordMove':
        return recordMove(command, state);

      case 'RecordDeath':
        return recordDeath(command, state);

      case 'RecordWithdrawal':
        return recordWithdrawal(command, state);

      case 'EraseRecipientPersonalData':
        return eraseRecipientPersonalData(command, state);

      default: {
        const unhandled: never = command;
        throw new Error(`Unhandled command ${JSON.stringify(unhandled)}`);
      }
    }
  },

  evolve: evolveRecipient,
};
