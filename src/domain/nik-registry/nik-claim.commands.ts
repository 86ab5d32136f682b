/**
 * Commands on one NIK's claim stream (`nik-<keyed hash>`): the consistency boundary that makes a
 * NIK registrable once in the whole programme, as an RSE woman or as a KUBe member.
 */
export type NikClaimCommand =
  | { type: 'ClaimNik'; recipientId: string; claimedAt: string }
  | { type: 'ReleaseNik'; recipientId: string; reason: NikReleaseReason }
  | { type: 'TakeOverNik'; recipientId: string; abandonedBy: string; claimedAt: string };

/** REGISTRATION_FAILED: the registration that claimed it was refused; ABANDONED: it never finished. */
export type NikReleaseReason = 'REGISTRATION_FAILED' | 'ABANDONED';
