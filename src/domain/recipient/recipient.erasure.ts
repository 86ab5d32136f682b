/**
 * Erasing a person's personal data on request (crypto-shredding): the command names whose data
 * keys go, the event records it, and the handler destroys the keys after the append. The figures
 * (aid, counts, dates, regencies) stay; only names, phone, address and notes become unreadable.
 */
import { invalid, ruleViolated } from '../domain-error';
import type { EraseRecipientPersonalData } from './recipient.commands';
import type { PersonalDataKeyed, RecipientEvent } from './recipient.events';
import { requireReason, requireRegistered, requireText } from './recipient.requirements';
import { isErased, type RecipientState, type RegisteredRecipient } from './recipient.state';

/** Where an operator learns how to encrypt the personal data of an older log. */
const MIGRATION_DOC = 'docs/privacy.md';

export function eraseRecipientPersonalData(
  command: EraseRecipientPersonalData,
  state: RecipientState,
): RecipientEvent[] {
  const recipient = requireRegistered(state);
  requireReason(command.reason);
  if (!/\S/.test(command.reference)) {
    throw invalid('REFERENCE_REQUIRED', 'reference must name the request or decision', 'reference');
  }
  requireText(command.reference, 'text', 'reference');
  const dataKeyIds = erasureKeys(recipient, command.memberNikHash);
  const fresh = dataKeyIds.filter((dataKeyId) => !isErased(recipient, dataKeyId));
  // Erased already: nothing more to record (the handler destroys the keys again all the same).
  if (fresh.length === 0) return [];
  const { memberNikHash, reason, reference } = command;
  return [
    {
      type: 'PersonalDataErased',
      data: {
        recipientId: recipient.recipientId,
        dataKeyIds: fresh,
        ...(memberNikHash === undefined ? {} : { memberNikHash }),
        reason,
        reference,
      },
    },
  ];
}

/**
 * The data keys an erasure destroys, erased ones included: the RSE woman's; a KUBe's group and
 * every member's, former members too; or the one member (current or former) whose NIK has the
 * keyed hash `memberNikHash`. Refused when someone among them was registered before data keys
 * existed: her data is in clear in the log, and only re-encrypting the log can make it erasable.
 */
export function erasureKeys(recipient: RegisteredRecipient, memberNikHash?: string): string[] {
  const { details } = recipient;
  let people: PersonalDataKeyed[];
  if (memberNikHash === undefined) {
    people =
      details.kind === 'RSE' ? [details] : [details, ...details.members, ...details.formerMembers];
  } else {
    if (details.kind !== 'KUBE') {
      throw ruleViolated(
        'NOT_A_KUBE',
        'memberNik is only for a KUBe member: an RSE woman is erased whole',
        'memberNik',
      );
    }
    const member = [...details.members, ...details.formerMembers].find(
      (candidate) => candidate.nikHash === memberNikHash,
    );
    if (!member) {
      throw ruleViolated(
        'NOT_A_MEMBER',
        'memberNik is not the NIK of a member, current or former, of this KUBe',
        'memberNik',
        { former: true },
      );
    }
    people = [member];
  }
  const keys = people.map((person) => person.dataKeyId);
  if (keys.some((dataKeyId) => dataKeyId === undefined)) {
    throw ruleViolated(
      'PERSONAL_DATA_NOT_ENCRYPTED',
      `This personal data was recorded before it was encrypted and cannot be erased yet: the log must first be re-encrypted (see the migration in ${MIGRATION_DOC})`,
    );
  }
  return [...new Set(keys as string[])];
}
