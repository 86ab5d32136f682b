import type { EventStore, StoredEvent } from '../../src/platform/event-store/event-store.port';
import { replay } from '../../src/platform/projection-engine/apply-events';
import { collectionOf, type AnyProjection } from '../../src/platform/projection-engine/projection';
import {
  ProjectionGroup,
  type GroupMember,
} from '../../src/platform/projection-engine/projection-group';
import type { ReadStore } from '../../src/platform/read-store/read-store.port';

export async function allEvents(store: EventStore): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (let after = 0n; ;) {
    const page = await store.readAll({ after, maxCount: 10_000 });
    if (page.length === 0) return events;
    events.push(...page);
    after = page[page.length - 1].position;
  }
}

/**
 * The stored read model next to a from-scratch replay of the same definition over the same
 * events: the documents by id, and how many each side holds.
 */
export async function storedAndRebuilt(
  definition: AnyProjection,
  events: readonly StoredEvent[],
  readStore: ReadStore,
): Promise<{ stored: Map<string, object>; rebuilt: Map<string, object>; storedCount: number }> {
  const [active] = (await readStore.checkpoints(definition.name)).filter(
    (c) => c.status === 'active',
  );
  const rebuilt = replay(definition, events);
  const found = await readStore.getMany(active.collection, [...rebuilt.keys()]);
  const stored = new Map([...found].map(([id, document]) => [id, document.document]));
  return { stored, rebuilt, storedCount: await readStore.count(active.collection) };
}

/**
 * Every read model as stored equals a from-scratch replay of `events`: as many documents, each
 * equal field by field.
 */
export async function expectEveryReadModelToEqualReplay(
  definitions: readonly AnyProjection[],
  events: readonly StoredEvent[],
  readStore: ReadStore,
): Promise<void> {
  for (const definition of definitions) {
    const { stored, rebuilt, storedCount } = await storedAndRebuilt(definition, events, readStore);
    expect({ projection: definition.name, documents: storedCount }).toEqual({
      projection: definition.name,
      documents: rebuilt.size,
    });
    expect(stored).toEqual(rebuilt);
  }
}

/**
 * Every read model equals a replay of the whole log, and every checkpoint stands at its last
 * event: nothing lost, nothing applied twice, nothing left to apply.
 */
export async function expectReadModelsAtHead(
  definitions: readonly AnyProjection[],
  eventStore: EventStore,
  readStore: ReadStore,
): Promise<void> {
  const events = await allEvents(eventStore);
  await expectEveryReadModelToEqualReplay(definitions, events, readStore);
  const checkpoints = await readStore.checkpoints();
  expect(checkpoints.map((checkpoint) => checkpoint.position)).toEqual(
    checkpoints.map(() => events[events.length - 1].position),
  );
}

/**
 * Builds a read model from the events into a new collection beside the one serving, as
 * `bansos-projections rebuild` does, and waits until it serves.
 */
export async function rebuildReadModel(
  eventStore: EventStore,
  readStore: ReadStore,
  definition: AnyProjection,
): Promise<void> {
  const collection = `${collectionOf(definition)}-rebuilt`;
  await readStore.ensureCollection({ name: collection, indexes: definition.indexes });
  await readStore.createCheckpoint({
    projection: definition.name,
    collection,
    version: definition.version,
    position: 0n,
    status: 'building',
  });
  const member: GroupMember = { definition, collection, position: 0n, status: 'building' };
  const group: ProjectionGroup = new ProjectionGroup(eventStore, readStore, [member], {
    committed: () => void (member.status === 'active' && group.stop()),
    replanNeeded: () => undefined,
  });
  await group.run();
  expect(member.status).toBe('active');
}
