import type {
  DetailChange,
  KubeMember,
  MemberDeparture,
  StoredNik,
} from '../../src/domain/recipient/recipient.events';
import {
  recipientStream,
  storedEvent,
  type EventToStore,
  type RecipientRef,
  type StoreOptions,
} from './projection-specification';

/**
 * Builders for the corrections and life events of a recipient's stream, in the style of
 * projection-specification's: `(recipient, data, options?)`.
 */
type Recipient = Pick<RecipientRef, 'recipientId'>;

const REASON = 'Koreksi data oleh operator';

export const detailsCorrected = (
  recipient: Recipient,
  changes: DetailChange[],
  options: StoreOptions = {},
): EventToStore =>
  storedEvent(
    recipientStream(recipient.recipientId),
    {
      type: 'RecipientDetailsCorrected',
      data: { recipientId: recipient.recipientId, changes, reason: REASON },
    },
    options,
  );

export const nikCorrected = (
  recipient: Recipient,
  before: StoredNik,
  after: StoredNik,
  options: StoreOptions = {},
): EventToStore =>
  storedEvent(
    recipientStream(recipient.recipientId),
    {
      type: 'NikCorrected',
      data: { recipientId: recipient.recipientId, before, after, reason: 'NIK salah ketik' },
    },
    options,
  );

export const memberReplaced = (
  recipient: Recipient,
  data: { left: KubeMember; joined: KubeMember; departure?: MemberDeparture; effectiveOn?: string },
  options: StoreOptions = {},
): EventToStore =>
  storedEvent(
    recipientStream(recipient.recipientId),
    {
      type: 'MemberReplaced',
      data: {
        recipientId: recipient.recipientId,
        departure: data.departure ?? 'LEFT',
        left: data.left,
        joined: data.joined,
        effectiveOn: data.effectiveOn ?? '2026-01-15',
        reason: 'Pindah kerja ke luar daerah',
      },
    },
    options,
  );

export const recipientMoved = (
  recipient: Recipient,
  data: { fromRegencyCode: string; toRegencyCode: string; movedOn?: string },
  options: StoreOptions = {},
): EventToStore =>
  storedEvent(
    recipientStream(recipient.recipientId),
    {
      type: 'RecipientMoved',
      data: {
        recipientId: recipient.recipientId,
        movedOn: data.movedOn ?? '2025-11-03',
        reason: 'Ikut suami pindah tugas',
        ...data,
      },
    },
    options,
  );

export const recipientDied = (
  recipient: Recipient,
  diedOn = '2026-02-10',
  options: StoreOptions = {},
): EventToStore =>
  storedEvent(
    recipientStream(recipient.recipientId),
    {
      type: 'RecipientDied',
      data: { recipientId: recipient.recipientId, diedOn, reason: 'Sakit' },
    },
    options,
  );

export const recipientWithdrew = (
  recipient: Recipient,
  withdrawnOn = '2026-03-01',
  options: StoreOptions = {},
): EventToStore =>
  storedEvent(
    recipientStream(recipient.recipientId),
    {
      type: 'RecipientWithdrew',
      data: { recipientId: recipient.recipientId, withdrawnOn, reason: 'Mengundurkan diri' },
    },
    options,
  );
