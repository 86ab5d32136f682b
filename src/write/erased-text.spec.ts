import { ERASED_TEXT as DOMAIN_ERASED_TEXT } from '../domain/recipient/recipient.events';
import { ERASED_TEXT } from '../platform/personal-data/personal-data';

describe('ERASED_TEXT', () => {
  // The domain (which may not import the platform) writes it for an erased leaver and keeps it
  // in its state; the event store reads it for a destroyed key. A state folded from a cache and
  // one folded from a fresh read must agree.
  it('is the same text in the domain and in the event store', () => {
    expect(DOMAIN_ERASED_TEXT).toBe(ERASED_TEXT);
  });
});
