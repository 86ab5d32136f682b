import { fold, type Decider, type DomainEvent } from '../../src/domain/decider';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Decider tests that read as specifications:
 *
 *   const spec = DeciderSpecification.for(aidDecider);
 *   spec.given([registered]).when(disburse).then([disbursed]);
 *   spec.given([registered, disbursed]).when(disburse).thenThrows(AlreadyDisbursed, { code: ... });
 */
export const DeciderSpecification = {
  for<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
    return {
      given(events: readonly Event[]) {
        return {
          when(command: Command) {
            const decide = (): Event[] => decider.decide(command, fold(decider, events));
            return {
              /** The command causes exactly these events, in this order. */
              then(expected: readonly Event[]): void {
                expect(decide()).toEqual(expected);
              },
              /** The command is accepted but changes nothing. */
              thenNothingHappens(): void {
                expect(decide()).toEqual([]);
              },
              /** The command is refused with this error (and, if given, these properties). */
              thenThrows(errorClass: ErrorClass, properties?: Record<string, unknown>): void {
                let thrown: unknown;
                try {
                  decide();
                } catch (error) {
                  thrown = error;
                }
                expect(thrown).toBeInstanceOf(errorClass);
                if (properties) expect(thrown).toMatchObject(properties);
              },
            };
          },
        };
      },
    };
  },
};
