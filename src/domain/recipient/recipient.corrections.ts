/**
 * Corrections of mistakes, each with a reason for auditors: the details (names, phone, address,
 * business type), a NIK, and a KUBe member replaced by another.
 */
import { invalid, ruleViolated, type DomainError } from '../domain-error';
import type { AidKind } from '../programme/aid-programme';
import { maskNik } from '../programme/nik';
import type { CorrectDetails, CorrectNik, ReplaceMember } from './recipient.commands';
import {
  ERASED_TEXT,
  type CorrectableField,
  type DetailChange,
  type KubeMember,
  type RecipientEvent,
  type StoredNik,
} from './recipient.events';
import {
  requireNotErased,
  requirePastDate,
  requireReason,
  requireRegistered,
  requireStillInProgramme,
  requireText,
  requireValidNik,
} from './recipient.requirements';
import { isErased, keyed, type RecipientState } from './recipient.state';

const notForKind = (field: string, kind: AidKind): DomainError =>
  invalid(
    'FIELD_NOT_FOR_KIND',
    `${field} cannot be corrected on ${kind === 'RSE' ? 'an RSE recipient' : 'a KUBe'}`,
    field,
  );

export function correctDetails(command: CorrectDetails, state: RecipientState): RecipientEvent[] {
  const recipient = requireRegistered(state);
  requireReason(command.reason);
  const { details } = recipient;
  const changes: DetailChange[] = [];
  /** `dataKeyId`: the key of the person the value belongs to; none for businessType. */
  const change = (
    field: CorrectableField,
    before: string | null,
    after: string | null | undefined,
    dataKeyId?: string,
  ) => {
    if (after === undefined || after === before) return;
    changes.push({ field, before, after, ...keyed(dataKeyId) });
  };
  if (details.kind === 'RSE') {
    for (const field of ['groupName', 'memberNames'] as const) {
      if (command[field] !== undefined) {
        throw notForKind(field === 'memberNames' ? 'members' : field, 'RSE');
      }
    }
    requireText(command.name, 'name', 'name');
    requireText(command.phone ?? undefined, 'text', 'phone');
    requireText(command.address ?? undefined, 'text', 'address');
    requireText(command.businessType, 'text', 'businessType');
    for (const field of ['name', 'phone', 'address'] as const) {
      if (command[field] !== undefined) requireNotErased(recipient, details.dataKeyId, field);
    }
    change('name', details.name, command.name, details.dataKeyId);
    change('phone', details.phone, command.phone, details.dataKeyId);
    change('address', details.address, command.address, details.dataKeyId);
    change('businessType', details.businessType, command.businessType);
  } else {
    for (const field of ['name', 'phone', 'address'] as const) {
      if (command[field] !== undefined) throw notForKind(field, 'KUBE');
    }
    requireText(command.groupName, 'name', 'groupName');
    requireText(command.businessType, 'text', 'businessType');
    if (command.groupName !== undefined) {
      requireNotErased(recipient, details.dataKeyId, 'groupName');
    }
    change('groupName', details.groupName, command.groupName, details.dataKeyId);
    change('businessType', details.businessType, command.businessType);
    const corrections = command.memberNames ?? [];
    corrections.forEach(({ nikHash, name }, index) => {
      requireText(name, 'name', `members.${index}.name`);
      if (corrections.findIndex((other) => other.nikHash === nikHash) !== index) {
        throw invalid(
          'DUPLICATE_MEMBER_NIK',
          'a member appears twice in the correction',
          `members.${index}.nik`,
        );
      }
      const member = details.members.find((candidate) => candidate.nikHash === nikHash);
      if (!member) throw notAMember(`members.${index}.nik`);
      requireNotErased(recipient, member.dataKeyId, `members.${index}.name`);
      if (member.name !== name) {
        changes.push({
          field: 'memberName',
          memberNikHash: nikHash,
          before: member.name,
          after: name,
          ...keyed(member.dataKeyId),
        });
      }
    });
  }
  if (changes.length === 0) {
    throw invalid(
      'NOTHING_TO_CORRECT',
      'The correction changes nothing: every value given is the one already recorded',
    );
  }
  return [
    {
      type: 'RecipientDetailsCorrected',
      data: { recipientId: recipient.recipientId, changes, reason: command.reason },
    },
  ];
}

const notAMember = (field: string): DomainError =>
  ruleViolated('NOT_A_MEMBER', `${field} is not the NIK of a current member of this KUBe`, field);

export function correctNik(command: CorrectNik, state: RecipientState): RecipientEvent[] {
  const recipient = requireRegistered(state);
  requireReason(command.reason);
  const { details } = recipient;
  const { newNik, nikHash } = command;
  let before: StoredNik;
  if (details.kind === 'RSE') {
    if (nikHash !== undefined && nikHash !== details.nik.nikHash) {
      throw ruleViolated('NIK_NOT_OF_RECIPIENT', 'nik is not the NIK recorded for her', 'nik');
    }
    before = details.nik;
    requireNotErased(recipient, details.dataKeyId, 'newNik');
  } else {
    if (nikHash === undefined) {
      throw invalid(
        'NIK_REQUIRED',
        'nik (the member’s NIK as recorded) is required to correct a KUBe member’s NIK',
        'nik',
      );
    }
    const member = details.members.find((candidate) => candidate.nikHash === nikHash);
    if (!member) throw notAMember('nik');
    requireNotErased(recipient, member.dataKeyId, 'newNik');
    before = { nikHash: member.nikHash, nikMasked: member.nikMasked };
  }
  const facts = requireValidNik(newNik.nik, 'newNik');
  if (details.kind === 'RSE' && !facts.female) {
    throw invalid(
      'NIK_NOT_FEMALE',
      'newNik must be marked female (day of birth 41–71): RSE aid is for women',
      'newNik',
    );
  }
  if (newNik.nikHash === before.nikHash) {
    throw invalid('NIK_UNCHANGED', 'newNik is the NIK already recorded', 'newNik');
  }
  if (
    details.kind === 'KUBE' &&
    details.members.some((member) => member.nikHash === newNik.nikHash)
  ) {
    throw invalid('DUPLICATE_MEMBER_NIK', 'newNik is another member’s NIK', 'newNik');
  }
  return [
    {
      type: 'NikCorrected',
      data: {
        recipientId: recipient.recipientId,
        before,
        after: { nikHash: newNik.nikHash, nikMasked: maskNik(newNik.nik) },
        reason: command.reason,
      },
    },
  ];
}

export function replaceMember(command: ReplaceMember, state: RecipientState): RecipientEvent[] {
  const recipient = requireRegistered(state);
  const { details } = recipient;
  if (details.kind !== 'KUBE') {
    throw ruleViolated('NOT_A_KUBE', 'Only a KUBe has members to replace');
  }
  requireStillInProgramme(recipient, 'No member can be replaced');
  requireReason(command.reason);
  const { departure, effectiveOn, leavingNikHash, newMember, today } = command;
  const leaving = details.members.find((member) => member.nikHash === leavingNikHash);
  if (!leaving) throw notAMember('leavingNik');
  requirePastDate(effectiveOn, today, 'effectiveOn');
  if (leaving.joinedOn !== null && effectiveOn < leaving.joinedOn) {
    throw ruleViolated(
      'DATE_BEFORE_MEMBER_JOINED',
      `effectiveOn ${effectiveOn} is before the leaving member joined (${leaving.joinedOn})`,
      'effectiveOn',
    );
  }
  requireText(newMember.name, 'name', 'newMember.name');
  requireValidNik(newMember.nik, 'newMember.nik');
  if (details.members.some((member) => member.nikHash === newMember.nikHash)) {
    throw invalid(
      'DUPLICATE_MEMBER_NIK',
      'newMember.nik is the NIK of a current member',
      'newMember.nik',
    );
  }
  const role = newMember.role ?? leaving.role;
  const chairs =
    details.members.filter((member) => member !== leaving && member.role === 'CHAIR').length +
    (role === 'CHAIR' ? 1 : 0);
  if (chairs !== 1) {
    throw invalid(
      'ONE_CHAIR_REQUIRED',
      `a KUBe has exactly one CHAIR (the replacement would leave ${chairs})`,
      'newMember.role',
    );
  }
  const { joinedOn: _joinedOn, ...stillKnown } = leaving;
  // An erased leaver's key is gone: she leaves under the erased name, with no key to name.
  const left: KubeMember = isErased(recipient, leaving.dataKeyId)
    ? {
        name: ERASED_TEXT,
        role: leaving.role,
        nikHash: leaving.nikHash,
        nikMasked: leaving.nikMasked,
      }
    : stillKnown;
  return [
    {
      type: 'MemberReplaced',
      data: {
        recipientId: recipient.recipientId,
        departure,
        left,
        joined: {
          name: newMember.name,
          role,
          nikHash: newMember.nikHash,
          nikMasked: maskNik(newMember.nik),
          dataKeyId: newMember.dataKeyId,
        },
        effectiveOn,
        reason: command.reason,
      },
    },
  ];
}
