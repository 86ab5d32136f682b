import type { AppendOptions, AppendResult, EventStore, NewEvent } from './event-store.port';

/** An append to one stream, as every adapter makes it: a multi-stream append of one stream. */
export async function appendToOneStream(
  store: Pick<EventStore, 'appendToStreams'>,
  streamName: string,
  events: readonly NewEvent[],
  { expectedRevision, context }: AppendOptions,
): Promise<AppendResult> {
  const { position, revisions } = await store.appendToStreams(
    [{ streamName, expectedRevision, events }],
    { context },
  );
  return { position, revision: revisions[0] };
}
