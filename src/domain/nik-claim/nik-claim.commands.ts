/**
 * Commands on one NIK's claim stream (`nik-<keyed hash>`): the consistency boundary that makes a
 * NIK registrable once in the whole programme, as an RSE woman or as a KUBe member.
 */
export type NikClaimCommand =
  /** Claimed in the same append as the recipient's RecipientRegistered. */
  | { type: 'ClaimNik'; recipientId: string; claimedAt: string }
  /** Older logs: takes over the claim of a registration whose request died half-way. */
  | { type: 'TakeOverNik'; recipientId: string; abandonedBy: string; claimedAt: string }
  /** A mistyped NIK given up by its recipient, in the same append as NikCorrected. */
  | { type: 'ReleaseNik'; recipientId: string; reason: 'CORRECTED' };

/**
 * ABANDONED: the claim of a registration that never finished (older logs) was taken over;
 * REGISTRATION_FAILED: older logs only, where a refused registration gave its claim back;
 * CORRECTED: a mistyped NIK replaced by the right one (NikCorrected in the same append).
 */
export type NikReleaseReason = 'REGISTRATION_FAILED' | 'ABANDONED' | 'CORRECTED';
