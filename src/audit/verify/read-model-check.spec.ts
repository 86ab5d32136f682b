import type { EventStore, StoredEvent } from '../../platform/event-store/event-store.port';
import { SqliteEventStore } from '../../platform/event-store/sqlite/sqlite-event-store';
import type { ProjectionDefinition } from '../../platform/projection-engine/projection';
import type { ReadStore } from '../../platform/read-store/read-store.port';
import { SqliteReadStore } from '../../platform/read-store/sqlite/sqlite-read-store';
import { readLog } from '../event-log';
import { CompactDocumentSet } from './compact-document-set';
import { POSITION_FIELD, ReadModelCheck } from './read-model-check';

interface Counted {
  count: number;
  last: number;
}

/** One document per stream: how many events it has had and the last one's number. */
const streamCounts = {
  name: 'stream-counts',
  version: 1,
  indexes: [],
  handles: ['Happened'],
  documentIds: (event: StoredEvent) => [event.streamName],
  evolve: (document: Counted | null, event: StoredEvent) => ({
    count: (document?.count ?? 0) + 1,
    last: (event.data as { i: number }).i,
  }),
} as unknown as ProjectionDefinition;

const COLLECTION = 'stream-counts-v1';
const context = { actor: 'operator', correlationId: 'c', causationId: 'c', commandId: 'c' };

describe('ReadModelCheck', () => {
  let eventStore: EventStore;
  let readStore: ReadStore;
  let events: StoredEvent[];

  /** a, b, a, c, a, b: a ends with three events, b with two, c with one. */
  beforeEach(async () => {
    eventStore = new SqliteEventStore({ file: ':memory:' });
    readStore = new SqliteReadStore({ file: ':memory:' });
    for (const [i, stream] of ['a', 'b', 'a', 'c', 'a', 'b'].entries()) {
      await eventStore.appendToStream(stream, [{ type: 'Happened', data: { i } }], {
        expectedRevision: 'any',
        context,
      });
    }
    events = await eventStore.readAll();
    await readStore.ensureCollection({ name: COLLECTION, indexes: [] });
    await store({
      a: [{ count: 3, last: 4 }, 5n],
      b: [{ count: 2, last: 5 }, 6n],
      c: [{ count: 1, last: 3 }, 4n],
    });
  });

  afterEach(async () => {
    await eventStore.close();
    await readStore.close();
  });

  async function store(documents: Record<string, [object, bigint]>): Promise<void> {
    const upserts = Object.entries(documents).map(([id, [document, position]]) => ({
      id,
      position,
      document,
    }));
    await readStore.commit([{ collection: COLLECTION, upserts, deletes: [] }], []);
  }

  async function check(pages: StoredEvent[][] = [events], checkpoint = 6n) {
    const readModel = new ReadModelCheck(
      eventStore,
      readStore,
      streamCounts,
      COLLECTION,
      checkpoint,
    );
    for (const page of pages) await readModel.add(page);
    return readModel.finish();
  }

  it('finds a read model equal to its recomputation', async () => {
    expect(await check()).toMatchObject({
      documentsCompared: 3,
      documentsMovedOn: 0,
      differenceCount: 0,
    });
  });

  it('names each altered field', async () => {
    await store({ b: [{ count: 7, last: 5 }, 6n] });
    expect((await check()).differences).toEqual([
      { collection: COLLECTION, id: 'b', field: 'count', stored: 7, recomputed: 2 },
    ]);
  });

  it('names a document the store lacks and one nothing made', async () => {
    await readStore.commit([{ collection: COLLECTION, upserts: [], deletes: ['c'] }], []);
    await store({ z: [{ count: 1, last: 0 }, 2n] });
    const report = await check();
    expect(report.differences).toEqual([
      {
        collection: COLLECTION,
        id: 'c',
        field: '(document)',
        stored: null,
        recomputed: { count: 1, last: 3 },
      },
      {
        collection: COLLECTION,
        id: 'z',
        field: '(document)',
        stored: { count: 1, last: 0 },
        recomputed: null,
      },
    ]);
  });

  it('names a stored document that stops before an event that changes it', async () => {
    // a as it stood after its second event (position 3): the one at 5 is missing from it.
    await store({ a: [{ count: 2, last: 2 }, 3n] });
    const report = await check([events.slice(0, 3), events.slice(3)]);
    expect(report.differences).toEqual([
      { collection: COLLECTION, id: 'a', field: POSITION_FIELD, stored: '3', recomputed: '5' },
    ]);
  });

  it('names it the same way when that event comes in the same page', async () => {
    await store({ a: [{ count: 2, last: 2 }, 3n] });
    const report = await check([events]);
    expect(report.differences).toEqual([
      { collection: COLLECTION, id: 'a', field: POSITION_FIELD, stored: '3', recomputed: '5' },
      { collection: COLLECTION, id: 'a', field: 'count', stored: 2, recomputed: 3 },
      { collection: COLLECTION, id: 'a', field: 'last', stored: 2, recomputed: 4 },
    ]);
  });

  it('replays up to the checkpoint and leaves documents that moved on since', async () => {
    // The read model's checkpoint is 4: b's second event (6) and a's third (5) came after it.
    await store({ a: [{ count: 2, last: 2 }, 3n], b: [{ count: 2, last: 5 }, 6n] });
    expect(await check([events], 4n)).toMatchObject({
      documentsCompared: 2,
      documentsMovedOn: 1,
      differenceCount: 0,
    });
  });

  it('reads the log in pages like verify does', async () => {
    const pages: StoredEvent[][] = [];
    for await (const page of readLog(eventStore, { pageSize: 2 })) pages.push([...page]);
    expect(pages).toHaveLength(3);
    expect((await check(pages)).differenceCount).toBe(0);
  });
});

describe('CompactDocumentSet', () => {
  it('keeps documents not touched lately as text and gives them back intact', () => {
    const set = new CompactDocumentSet(1);
    set.set('a', { id: 'a', position: 9007199254740993n, document: { n: [1, { x: null }] } });
    set.set('b', { id: 'b', position: 2n, document: null });
    expect(set.get('a')).toEqual({
      id: 'a',
      position: 9007199254740993n,
      document: { n: [1, { x: null }] },
    });
    expect(set.take('b')).toEqual({ id: 'b', position: 2n, document: null });
    expect(set.get('b')).toBeUndefined();
  });
});
