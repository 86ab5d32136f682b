import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '../../platform/clock';
import { SqliteEventStore } from '../../platform/event-store/sqlite/sqlite-event-store';
import { ChainCheck } from '../verify/chain-check';
import { readLog } from '../event-log';
import { EMPTY_LOG } from './log-digest';
import { LogSealer, readSeals } from './log-sealer';
import { sealDataOf } from './seal';
import { readSealAnchors } from './seal-anchor';

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

  describe('with an anchor file', () => {
    let dir: string;

    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bansos-anchors-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('appends each seal as one line, created for its owner only, naming the seal it continues', async () => {
      const file = join(dir, 'seal-anchors.jsonl');
      const clock = new FixedClock(new Date('2025-06-20T02:00:00.000Z'));
      await write('a', 2);
      const first = await new LogSealer(store, { anchorFile: file, clock }).seal();
      await write('b', 1);
      const second = await new LogSealer(store, { anchorFile: file, clock }).seal();

      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3);
      const { position: firstPosition, ...firstData } = first;
      const { position: secondPosition, ...secondData } = second;
      expect(await readSealAnchors(file)).toEqual([
        {
          line: 1,
          sealPosition: firstPosition,
          sealRevision: '0',
          ...firstData,
          previous: sealDataOf(EMPTY_LOG),
          anchoredAt: '2025-06-20T02:00:00.000Z',
        },
        {
          line: 2,
          sealPosition: secondPosition,
          sealRevision: '1',
          ...secondData,
          previous: firstData,
          anchoredAt: '2025-06-20T02:00:00.000Z',
        },
      ]);
    });

    it('says so when the seal is stored but its anchor cannot be written', async () => {
      const file = join(dir, 'missing-folder', 'seal-anchors.jsonl');
      await expect(new LogSealer(store, { anchorFile: file }).seal()).rejects.toThrow(
        /Sealed up to position 0 \(the seal is at position 1\), but could not append its anchor to .*missing-folder/,
      );
      expect(await readSeals(store)).toHaveLength(1);
    });
  });
});
