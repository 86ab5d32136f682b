import { maskNik } from '../../src/domain/programme/nik';
import { findRegency } from '../../src/domain/programme/regencies';
import type { DetailChange } from '../../src/domain/recipient/recipient.events';
import { quotaOfStream } from '../../src/domain/streams';
import type { ProgrammeEvent } from '../programme-event';

const rupiah = (value: number) => `Rp${String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
const regency = (code: string) => findRegency(code)?.name ?? code;

/** What an operator typed, on one line, with anything shaped like a NIK masked. */
const typed = (text: string) =>
  text
    .replace(/\d{16}/g, maskNik)
    .replace(/\s+/g, ' ')
    .trim();

const DETAIL_LABEL: Record<DetailChange['field'], string> = {
  name: 'name',
  groupName: 'group name',
  phone: 'phone',
  address: 'address',
  businessType: 'business type',
  memberName: 'member name',
};

/**
 * One field's correction: the field and whether it was added, changed or removed, never its
 * values, which are a person's data (erasable: the trail would otherwise keep them for ever).
 * The business type is no one's personal data: its values are shown.
 */
function detailChange({ field, before, after }: DetailChange): string {
  if (field === 'businessType') {
    const value = (text: string | null) => (text === null ? 'none' : `"${typed(text)}"`);
    return `${DETAIL_LABEL[field]} ${value(before)} → ${value(after)}`;
  }
  const how = before === null ? 'added' : after === null ? 'removed' : 'changed';
  return `${DETAIL_LABEL[field]} ${how}`;
}

/** Two masks can be equal when the mistyped digits were among the hidden ones. */
const nikChange = (before: string, after: string) =>
  before === after
    ? `${before} to ${after} (the digits corrected are hidden by the mask)`
    : `${before} to ${after}`;

/**
 * One line an auditor can read. Masked NIKs only; no names, phone numbers, addresses or notes,
 * not even those a correction changed (it names the fields): a person's data may be erased, and
 * the trail must not keep it. The recipient id leads to personal data for those allowed to see it.
 */
export function summarize(event: ProgrammeEvent): string {
  switch (event.type) {
    case 'RecipientRegistered': {
      const data = event.data;
      return data.kind === 'RSE'
        ? `RSE recipient registered in ${regency(data.regencyCode)} (NIK ${data.nikMasked})`
        : `KUBe of ${data.members.length} registered in ${regency(data.regencyCode)} ` +
            `(NIKs ${data.members.map((member) => member.nikMasked).join(', ')})`;
    }
    case 'RecipientDetailsCorrected':
      return (
        'Details corrected: ' +
        event.data.changes.map(detailChange).join('; ') +
        ` (reason: ${typed(event.data.reason)})`
      );
    case 'NikCorrected':
      return (
        `NIK corrected from ${nikChange(event.data.before.nikMasked, event.data.after.nikMasked)}` +
        ` (reason: ${typed(event.data.reason)})`
      );
    case 'MemberReplaced': {
      const { departure, left, joined, effectiveOn, reason } = event.data;
      return (
        `Member ${left.nikMasked} (${left.role}) ${departure === 'DIED' ? 'died' : 'left'} on ` +
        `${effectiveOn}, replaced by ${joined.nikMasked} (${joined.role}) (reason: ${typed(reason)})`
      );
    }
    case 'RecipientMoved':
      return (
        `Moved from ${regency(event.data.fromRegencyCode)} to ${regency(event.data.toRegencyCode)} ` +
        `on ${event.data.movedOn} (reason: ${typed(event.data.reason)})`
      );
    case 'RecipientDied':
      return `Death on ${event.data.diedOn} recorded (reason: ${typed(event.data.reason)})`;
    case 'RecipientWithdrew':
      return `Withdrawal from the programme on ${event.data.withdrawnOn} recorded (reason: ${typed(event.data.reason)})`;
    case 'PersonalDataErased': {
      const { memberNikHash, reason, reference } = event.data;
      const whom = memberNikHash === undefined ? 'whole recipient' : 'one member';
      return `Personal data erased: ${whom} (reason: ${typed(reason)}, reference: ${typed(reference)})`;
    }
    case 'RegistrationAbandoned':
      return 'Unfinished registration closed';
    case 'AidDisbursed':
      return (
        `${event.data.kind} aid of ${rupiah(event.data.valueRupiah)} in ${event.data.form.toLowerCase()} ` +
        `disbursed on ${event.data.disbursedOn} for ${event.data.year} (${event.data.disbursementId})`
      );
    case 'DisbursementAbandoned':
      return `Unfinished disbursement ${event.data.disbursementId} closed`;
    case 'DisbursementReversed':
      return `Disbursement ${event.data.disbursementId} of ${rupiah(event.data.valueRupiah)} reversed on ${event.data.reversedOn}: ${typed(event.data.reason)}`;
    case 'MonitoringRecorded':
      return `Monitoring visit on ${event.data.visitDate}: ${event.data.businessStatus.toLowerCase()}, ${event.data.workers} workers`;
    case 'MentoringRecorded':
      return `Mentoring by ${typed(event.data.partner)} on ${event.data.date}: ${typed(event.data.topic)}`;
    case 'ExhibitionParticipationRecorded':
      return `Took part in ${typed(event.data.name)} on ${event.data.date}`;
    case 'YearlyQuotaDefined':
      return (
        `${event.data.year} ${event.data.kind} quota defined: target ${event.data.target}, ceiling ${rupiah(event.data.ceilingRupiah)}` +
        (event.data.reason === undefined ? '' : ` (reason: ${typed(event.data.reason)})`)
      );
    case 'YearlyQuotaChanged': {
      const { year, kind } = quotaOfStream(event.streamName);
      const { target, ceilingRupiah, previousTarget, previousCeilingRupiah, reason } = event.data;
      return (
        `${year} ${kind} quota changed: target ${previousTarget} → ${target}, ceiling ` +
        `${rupiah(previousCeilingRupiah)} → ${rupiah(ceilingRupiah)} (reason: ${typed(reason)})`
      );
    }
    case 'AllocationCleared':
      return `Allocation of ${regency(event.data.regencyCode)} cleared (was ${event.data.previousQuota})`;
    case 'AllocationSet':
      return (
        `Allocation of ${regency(event.data.regencyCode)} set to ${event.data.quota}` +
        (event.data.previousQuota === null ? '' : ` (was ${event.data.previousQuota})`)
      );
    case 'QuotaSlotTaken':
      return `Quota slot taken by ${event.data.disbursementId}`;
    case 'QuotaSlotReserved':
      return `Quota slot reserved for ${event.data.disbursementId}`;
    case 'QuotaSlotConfirmed':
      return `Quota slot confirmed for ${event.data.disbursementId}`;
    case 'QuotaSlotReleased':
      return `Quota slot of ${event.data.disbursementId} released (${event.data.reason.toLowerCase()})`;
    case 'NikClaimed':
      return 'NIK claimed for registration';
    case 'NikReleased':
      return `NIK claim released (${event.data.reason.toLowerCase().replaceAll('_', ' ')})`;
  }
}
