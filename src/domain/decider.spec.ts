import { slotsDecider } from '../../test/helpers/fixtures/slots.decider';
import { fold } from './decider';

describe('fold', () => {
  it('starts from the initial state and applies the events in order', () => {
    expect(
      fold(slotsDecider, [
        { type: 'SlotsOpened', data: { limit: 2 } },
        { type: 'SlotClaimed', data: { claimant: 'a' } },
        { type: 'SlotClaimed', data: { claimant: 'b' } },
      ]),
    ).toEqual({ limit: 2, claimants: ['a', 'b'] });
  });

  it('gives a fresh initial state for no events', () => {
    const first = fold(slotsDecider, []);
    first.claimants.push('mutated');
    expect(fold(slotsDecider, [])).toEqual({ limit: null, claimants: [] });
  });
});
