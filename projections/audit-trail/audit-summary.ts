import { maskNik } from '../../src/domain/programme/nik';
import { findRegency } from '../../src/domain/programme/regencies';
import type { ProgrammeEvent } from '../programme-event';

const rupiah = (value: number) => `Rp${String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
const regency = (code: string) => findRegency(code)?.name ?? code;

/** What an operator typed, on one line, with anything shaped like a NIK masked. */
const typed = (text: string) =>
  text
    .replace(/\d{16}/g, maskNik)
    .replace(/\s+/g, ' ')
    .trim();

/**
 * One line an auditor can read. Masked NIKs only; no names, phone numbers or addresses: the
 * recipient id leads to them for those allowed to see them.
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
      return `${event.data.year} ${event.data.kind} quota defined: target ${event.data.target}, ceiling ${rupiah(event.data.ceilingRupiah)}`;
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
