import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../platform/event-store/sqlite/sqlite-event-store';
import type { StoredEvent } from '../platform/event-store/event-store.port';
import { CommandRunner } from '../platform/command-handling/command-runner';
import { ProgrammeDefiner } from './programme-definer';

describe('ProgrammeDefiner', () => {
  let dir: string;
  let stores: SqliteEventStore[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bansos-programme-'));
    stores = [];
  });

  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  function open(): SqliteEventStore {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    stores.push(store);
    return store;
  }

  async function allEvents(store: SqliteEventStore): Promise<StoredEvent[]> {
    return store.readAll({ maxCount: 10_000 });
  }

  it('defines 2024–2026 once, as system: targets, ceilings and KUBE allocations of 20 per regency', async () => {
    const store = open();
    await new ProgrammeDefiner(new CommandRunner(store), store).onApplicationBootstrap();
    const events = await allEvents(store);
    const definitions = events.filter((e) => e.type === 'YearlyQuotaDefined').map((e) => e.data);
    expect(definitions).toEqual([
      { year: 2024, kind: 'RSE', target: 500, ceilingRupiah: 5_000_000 },
      { year: 2024, kind: 'KUBE', target: 200, ceilingRupiah: 20_000_000 },
      { year: 2025, kind: 'RSE', target: 500, ceilingRupiah: 5_000_000 },
      { year: 2025, kind: 'KUBE', target: 200, ceilingRupiah: 20_000_000 },
      { year: 2026, kind: 'RSE', target: 500, ceilingRupiah: 5_000_000 },
      { year: 2026, kind: 'KUBE', target: 200, ceilingRupiah: 20_000_000 },
    ]);
    const allocations = events.filter((e) => e.type === 'AllocationSet');
    expect(allocations).toHaveLength(30);
    expect(new Set(allocations.map((e) => e.streamName))).toEqual(
      new Set(['quota-2024-KUBE', 'quota-2025-KUBE', 'quota-2026-KUBE']),
    );
    expect(allocations.every((e) => (e.data as { quota: number }).quota === 20)).toBe(true);
    expect(new Set(events.map((e) => e.metadata.actor))).toEqual(new Set(['system']));
  });

  it('adds nothing on a later start, nor when several processes start at once', async () => {
    const [first, second, third] = [open(), open(), open()];
    await Promise.all(
      [first, second, third].map((store) =>
        new ProgrammeDefiner(new CommandRunner(store), store).onApplicationBootstrap(),
      ),
    );
    await new ProgrammeDefiner(new CommandRunner(first), first).onApplicationBootstrap();
    const events = await allEvents(first);
    expect(events.filter((e) => e.type === 'YearlyQuotaDefined')).toHaveLength(6);
    expect(events).toHaveLength(36);
  });

  it('reads no more than the first event of a year already defined', async () => {
    const store = open();
    await new ProgrammeDefiner(new CommandRunner(store), store).onApplicationBootstrap();
    const head = await store.headPosition();
    const reads: { stream: string; maxCount?: number }[] = [];
    const readStream = store.readStream.bind(store);
    store.readStream = (stream, options) => {
      reads.push({ stream, maxCount: options?.maxCount });
      return readStream(stream, options);
    };
    await new ProgrammeDefiner(new CommandRunner(store), store).onApplicationBootstrap();
    expect(reads).toHaveLength(6);
    expect(reads.every((read) => read.maxCount === 1)).toBe(true);
    expect(await store.headPosition()).toBe(head);
  });
});
