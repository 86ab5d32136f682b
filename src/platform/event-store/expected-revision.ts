import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type ActualRevision,
  type ExpectedRevision,
} from './event-store.port';

/** Whether a stream in state `actual` meets the writer's expectation. */
export function meetsExpectation(expected: ExpectedRevision, actual: ActualRevision): boolean {
  switch (expected) {
    case ANY:
      return true;
    case NO_STREAM:
      return actual === NO_STREAM;
    case STREAM_EXISTS:
      return actual !== NO_STREAM;
    default:
      return actual === expected;
  }
}
