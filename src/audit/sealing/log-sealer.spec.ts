import { createHash } from 'node:crypto';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store';
import { ChainCheck } from '../verify/chain-check';
import { readLog } from '../event-log';
import { LogSealer, readSeals } from './log-sealer';
import { PeriodicSealer } from './periodic-sealer';

const context = { actor: 'operator', correlationId: 'c', causationId: 'c', commandId: 'c' };

describe('LogSealer', () => {
  let store: SqliteEventStore;

  beforeEach(() => {
    store = new SqliteEventStore({ file: ':memory:' });
  });

  afterEach(() => store.close());

  async function write(stream: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      await store.appendToStream(stream, [{ type: 'Happened', data: { i } }], {
        expectedRevision: 'any',
        context,
      });
    }
  }

  async function checked(): Promise<ChainCheck> {
    const check = new ChainCheck(await readSeals(store));
    for await (const page of readLog(store)) check.add(page);
    return check;
  }

  it('seals the whole log, continuing the running hash from the seal before', async () => {
    await write('a', 3);
    await write('b', 2);
    const first = await new LogSealer(store).seal();
    expect(first).toMatchObject({ sealedPosition: '5', eventCount: 5, streamCount: 2 });

    await write('a', 1);
    const second = await new LogSealer(store).seal('auditor-1');
    // Everything up to the first seal's position, the seal itself, and one more event.
    expect(second).toMatchObject({ sealedPosition: '7', eventCount: 7, streamCount: 3 });

    // The second segment: the first seal's log hash, then the hashes of events 6 and 7.
    const [, , , , , sixth, seventh] = (await store.readAll()).map((e) => e.metadata.hash);
    expect(second.logHash).toBe(
      createHash('sha256').update(first.logHash).update(sixth).update(seventh).digest('hex'),
    );
    const [, seal] = await store.readStream('audit-seals');
    expect(seal.metadata.actor).toBe('auditor-1');
    expect((await checked()).report()).toMatchObject({ seals: 2, findings: [] });
  });

  it('seals an empty log, and that seal checks', async () => {
    expect(await new LogSealer(store).seal()).toMatchObject({ sealedPosition: '0', eventCount: 0 });
    await write('a', 1);
    expect((await checked()).report()).toMatchObject({ seals: 1, findings: [] });
  });

  it('leaves a seal made after the check began for the next check', async () => {
    await write('a', 2);
    const until = await store.headPosition();
    await new LogSealer(store).seal();
    const seals = (await readSeals(store)).filter((seal) => seal.position <= until);
    expect(seals).toEqual([]);
    const check = new ChainCheck(seals);
    for await (const page of readLog(store, { until })) check.add(page);
    expect(check.report()).toMatchObject({ seals: 0, findings: [] });
  });

  it('lets racing sealers both succeed, each on the seal before it', async () => {
    await write('a', 4);
    const seals = await Promise.all([1, 2, 3].map(() => new LogSealer(store).seal()));
    expect(new Set(seals.map((seal) => seal.position)).size).toBe(3);
    const report = (await checked()).report();
    expect(report).toMatchObject({ seals: 3, findings: [] });
  });
});

describe('PeriodicSealer', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  it('seals once enough events have gone by, one seal at a time, and retries a failed one', async () => {
    let release!: () => void;
    const record = { sealedPosition: '1', eventCount: 1, logHash: 'h' };
    const seal = jest
      .fn()
      .mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve(record))))
      .mockRejectedValueOnce(new Error('unavailable'))
      .mockResolvedValue(record);
    const periodic = new PeriodicSealer({ seal } as unknown as LogSealer, 100);

    periodic.observe(60);
    expect(seal).not.toHaveBeenCalled();
    periodic.observe(50);
    expect(seal).toHaveBeenCalledTimes(1);
    periodic.observe(500); // a seal is running: counted, not started
    expect(seal).toHaveBeenCalledTimes(1);
    release();
    await periodic.drain();

    periodic.observe(1); // 501 since the last seal began
    await periodic.drain();
    expect(seal).toHaveBeenCalledTimes(2); // that one failed…
    periodic.observe(1); // …so the next batch tries again at once
    await periodic.drain();
    expect(seal).toHaveBeenCalledTimes(3);
  });
});
