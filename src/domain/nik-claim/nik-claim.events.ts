import type { DomainEvent } from '../decider';
import type { NikReleaseReason } from './nik-claim.commands';

export type NikClaimed = DomainEvent<'NikClaimed', { recipientId: string; claimedAt: string }>;
export type NikReleased = DomainEvent<
  'NikReleased',
  { recipientId: string; reason: NikReleaseReason }
>;

export type NikClaimEvent = NikClaimed | NikReleased;
