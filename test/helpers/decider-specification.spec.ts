import { DeciderSpecification } from './decider-specification';
import { SlotsFull, SlotsNotOpen, slotsDecider } from './fixtures/slots.decider';

const spec = DeciderSpecification.for(slotsDecider);
const opened = { type: 'SlotsOpened' as const, data: { limit: 1 } };

describe('DeciderSpecification', () => {
  it('passes when the command causes exactly the expected events', () => {
    spec
      .given([opened])
      .when({ type: 'Claim', claimant: 'a' })
      .then([{ type: 'SlotClaimed', data: { claimant: 'a' } }]);
  });

  it('fails when the events differ', () => {
    expect(() =>
      spec
        .given([opened])
        .when({ type: 'Claim', claimant: 'a' })
        .then([{ type: 'SlotClaimed', data: { claimant: 'b' } }]),
    ).toThrow();
  });

  it('checks that nothing happens', () => {
    spec.given([opened]).when({ type: 'Open', limit: 5 }).thenNothingHappens();
    expect(() => spec.given([]).when({ type: 'Open', limit: 5 }).thenNothingHappens()).toThrow();
  });

  it('checks the error class and its properties', () => {
    const full = [opened, { type: 'SlotClaimed' as const, data: { claimant: 'a' } }];
    spec
      .given(full)
      .when({ type: 'Claim', claimant: 'b' })
      .thenThrows(SlotsFull, { code: 'SLOTS_FULL' });
    expect(() =>
      spec.given(full).when({ type: 'Claim', claimant: 'b' }).thenThrows(SlotsNotOpen),
    ).toThrow();
    expect(() =>
      spec.given(full).when({ type: 'Claim', claimant: 'b' }).thenThrows(SlotsFull, { code: 'X' }),
    ).toThrow();
    expect(() =>
      spec.given([opened]).when({ type: 'Claim', claimant: 'b' }).thenThrows(SlotsFull),
    ).toThrow();
  });
});
