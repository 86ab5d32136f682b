/**
 * Registering a recipient: an RSE woman (her NIK marked female) or a KUBe of five with one chair,
 * in one of the regencies/cities of Kalimantan Timur.
 */
import { invalid, ruleViolated } from '../domain-error';
import { maskNik } from '../programme/nik';
import { findRegency } from '../programme/regencies';
import type { KubeRegistration, RegisterRecipient, RseRegistration } from './recipient.commands';
import type { RecipientEvent } from './recipient.events';
import { requireText, requireValidNik } from './recipient.requirements';
import type { RecipientState } from './recipient.state';

/** A KUBe (joint business group) has exactly five members, each a poor person. */
export const KUBE_SIZE = 5;

export function registerRecipient(
  command: RegisterRecipient,
  state: RecipientState,
): RecipientEvent[] {
  if (state.status === 'registered') {
    throw ruleViolated('RECIPIENT_ALREADY_REGISTERED', 'This recipient is already registered');
  }
  if (state.status === 'abandoned') {
    throw ruleViolated(
      'REGISTRATION_ABANDONED',
      'This registration took too long and was abandoned; register again',
    );
  }
  const { registration, recipientId } = command;
  if (!findRegency(registration.regencyCode)) {
    throw invalid(
      'UNKNOWN_REGENCY',
      `regencyCode ${registration.regencyCode} is not one of the ten regencies/cities of Kalimantan Timur`,
      'regencyCode',
    );
  }
  if (registration.kind === 'RSE') {
    requireText(registration.name, 'name', 'name');
    requireText(registration.address, 'text', 'address');
  } else {
    requireText(registration.groupName, 'name', 'groupName');
    registration.members.forEach((member, index) =>
      requireText(member.name, 'name', `members.${index}.name`),
    );
  }
  requireText(registration.businessType, 'text', 'businessType');
  return registration.kind === 'RSE'
    ? [registerRse(recipientId, registration)]
    : [registerKube(recipientId, registration)];
}

function registerRse(recipientId: string, registration: RseRegistration): RecipientEvent {
  const facts = requireValidNik(registration.nik, 'nik');
  if (!facts.female) {
    throw invalid(
      'NIK_NOT_FEMALE',
      'nik must be marked female (day of birth 41–71): RSE aid is for women',
      'nik',
    );
  }
  const { nik, nikHash, kind, regencyCode, name, businessType, phone, address, dataKeyId } =
    registration;
  return {
    type: 'RecipientRegistered',
    data: {
      recipientId,
      dataKeyId,
      kind,
      regencyCode,
      name,
      businessType,
      nikHash,
      nikMasked: maskNik(nik),
      ...(phone === undefined ? {} : { phone }),
      ...(address === undefined ? {} : { address }),
    },
  };
}

function registerKube(recipientId: string, registration: KubeRegistration): RecipientEvent {
  const { members, kind, regencyCode, groupName, businessType, dataKeyId } = registration;
  if (members.length !== KUBE_SIZE) {
    throw invalid(
      'KUBE_NOT_FIVE_MEMBERS',
      `members must hold exactly ${KUBE_SIZE} people`,
      'members',
    );
  }
  members.forEach((member, index) => {
    requireValidNik(member.nik, `members.${index}.nik`);
    if (members.findIndex((other) => other.nik === member.nik) !== index) {
      throw invalid(
        'DUPLICATE_MEMBER_NIK',
        'a NIK appears twice in the group',
        `members.${index}.nik`,
      );
    }
  });
  const chairs = members.filter((member) => member.role === 'CHAIR').length;
  if (chairs !== 1) {
    throw invalid('ONE_CHAIR_REQUIRED', `a KUBe has exactly one CHAIR (got ${chairs})`, 'members');
  }
  return {
    type: 'RecipientRegistered',
    data: {
      recipientId,
      dataKeyId,
      kind,
      regencyCode,
      groupName,
      businessType,
      members: members.map(({ nik, nikHash, name, role, dataKeyId: memberKeyId }) => ({
        name,
        role,
        nikHash,
        nikMasked: maskNik(nik),
        dataKeyId: memberKeyId,
      })),
    },
  };
}
