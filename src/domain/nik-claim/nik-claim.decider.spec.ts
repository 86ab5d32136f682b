import { DeciderSpecification } from '../../../test/helpers/decider-specification';
import { DomainError } from '../domain-error';
import type { NikReleaseReason } from './nik-claim.commands';
import { NikHeldByAnother, nikClaimDecider } from './nik-claim.decider';
import type { NikClaimEvent } from './nik-claim.events';

const spec = DeciderSpecification.for(nikClaimDecider);

const SITI = 'rse-001';
const AMINAH = 'rse-002';
const KUBE = 'kube-001';

const AT = '2025-03-14T09:00:00.000Z';

const claimed = (recipientId: string, claimedAt = AT): NikClaimEvent => ({
  type: 'NikClaimed',
  data: { recipientId, claimedAt },
});

/** Written only by TakeOverNik now; older logs hold REGISTRATION_FAILED releases too. */
const released = (
  recipientId: string,
  reason: NikReleaseReason = 'REGISTRATION_FAILED',
): NikClaimEvent => ({ type: 'NikReleased', data: { recipientId, reason } });

describe('nikClaimDecider', () => {
  describe('ClaimNik', () => {
    it('claims a NIK nobody holds', () => {
      spec
        .given([])
        .when({ type: 'ClaimNik', recipientId: SITI, claimedAt: AT })
        .then([claimed(SITI)]);
    });

    it('does nothing when the same recipient claims it again', () => {
      spec
        .given([claimed(SITI)])
        .when({ type: 'ClaimNik', recipientId: SITI, claimedAt: AT })
        .thenNothingHappens();
    });

    it('refuses a NIK held by another recipient, naming the holder', () => {
      spec
        .given([claimed(SITI)])
        .when({ type: 'ClaimNik', recipientId: KUBE, claimedAt: AT })
        .thenThrows(NikHeldByAnother, { holder: SITI, claimedAt: AT });
    });

    it('leaves it to the caller to judge the holder: the refusal is not a DomainError', () => {
      let thrown: unknown;
      try {
        nikClaimDecider.decide(
          { type: 'ClaimNik', recipientId: AMINAH, claimedAt: AT },
          { holder: SITI, claimedAt: AT },
        );
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(NikHeldByAnother);
      expect(thrown).not.toBeInstanceOf(DomainError);
    });

    it.each<NikReleaseReason>(['REGISTRATION_FAILED', 'ABANDONED'])(
      'claims a NIK again once its holder released it (%s)',
      (reason) => {
        spec
          .given([claimed(SITI), released(SITI, reason)])
          .when({ type: 'ClaimNik', recipientId: AMINAH, claimedAt: AT })
          .then([claimed(AMINAH)]);
      },
    );

    it('keeps the holder when someone else’s release is recorded', () => {
      spec
        .given([claimed(SITI), released(AMINAH)])
        .when({ type: 'ClaimNik', recipientId: AMINAH, claimedAt: AT })
        .thenThrows(NikHeldByAnother, { holder: SITI, claimedAt: AT });
    });
  });

  describe('TakeOverNik (the claim of an older log’s registration that died half-way)', () => {
    it('releases the abandoned claim and claims the NIK for the new recipient', () => {
      spec
        .given([claimed(SITI)])
        .when({ type: 'TakeOverNik', recipientId: AMINAH, abandonedBy: SITI, claimedAt: AT })
        .then([released(SITI, 'ABANDONED'), claimed(AMINAH)]);
    });

    it('does nothing when the new recipient already holds the NIK', () => {
      spec
        .given([claimed(SITI), released(SITI, 'ABANDONED'), claimed(AMINAH)])
        .when({ type: 'TakeOverNik', recipientId: AMINAH, abandonedBy: SITI, claimedAt: AT })
        .thenNothingHappens();
    });

    it('refuses, naming the new holder, when another recipient took the NIK meanwhile', () => {
      spec
        .given([
          claimed(SITI),
          released(SITI, 'ABANDONED'),
          claimed(KUBE, '2025-03-14T10:00:00.000Z'),
        ])
        .when({ type: 'TakeOverNik', recipientId: AMINAH, abandonedBy: SITI, claimedAt: AT })
        .thenThrows(NikHeldByAnother, { holder: KUBE, claimedAt: '2025-03-14T10:00:00.000Z' });
    });

    it('simply claims the NIK when the abandoned claim was released meanwhile', () => {
      spec
        .given([claimed(SITI), released(SITI)])
        .when({ type: 'TakeOverNik', recipientId: AMINAH, abandonedBy: SITI, claimedAt: AT })
        .then([claimed(AMINAH)]);
    });

    it('simply claims the NIK when nobody ever claimed it', () => {
      spec
        .given([])
        .when({ type: 'TakeOverNik', recipientId: AMINAH, abandonedBy: SITI, claimedAt: AT })
        .then([claimed(AMINAH)]);
    });

    it('leaves the NIK to the new recipient: the abandoned one can no longer claim it', () => {
      spec
        .given([claimed(SITI), released(SITI, 'ABANDONED'), claimed(AMINAH)])
        .when({ type: 'ClaimNik', recipientId: SITI, claimedAt: AT })
        .thenThrows(NikHeldByAnother, { holder: AMINAH });
    });
  });

  describe('ReleaseNik (a mistyped NIK given up by its recipient)', () => {
    it('releases the NIK its recipient holds, as CORRECTED', () => {
      spec
        .given([claimed(SITI)])
        .when({ type: 'ReleaseNik', recipientId: SITI, reason: 'CORRECTED' })
        .then([released(SITI, 'CORRECTED')]);
    });

    it('leaves alone a NIK another recipient holds', () => {
      spec
        .given([claimed(AMINAH)])
        .when({ type: 'ReleaseNik', recipientId: SITI, reason: 'CORRECTED' })
        .thenNothingHappens();
    });

    it('does nothing to a NIK nobody holds', () => {
      spec
        .given([])
        .when({ type: 'ReleaseNik', recipientId: SITI, reason: 'CORRECTED' })
        .thenNothingHappens();
    });

    it('lets the NIK’s real owner claim it afterwards', () => {
      spec
        .given([claimed(SITI), released(SITI, 'CORRECTED')])
        .when({ type: 'ClaimNik', recipientId: AMINAH, claimedAt: AT })
        .then([claimed(AMINAH)]);
    });
  });
});
