/**
 * A projector as its own process, for crash tests: runs every projection over the stores in the
 * data directory given as argument (with the batch size given second), prints a dot per commit,
 * and exits 0 once all have caught up with the head.
 */
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { PROJECTIONS } from '../../projections';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';
import { ProjectionEngine } from '../../src/platform/projection-engine/projection-engine';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';

async function main(dataDir: string, batchSize: number): Promise<void> {
  Logger.overrideLogger(false);
  const eventStore = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  const readStore = new SqliteReadStore({ file: join(dataDir, 'read-models.sqlite') });
  const engine = new ProjectionEngine(eventStore, readStore, PROJECTIONS, batchSize);
  const head = await eventStore.headPosition();
  await engine.start();
  await new Promise<void>((resolve) => {
    const check = (): void => {
      if (engine.status().every((projection) => BigInt(projection.position) >= head)) resolve();
    };
    engine.onProgress(() => {
      process.stdout.write('.');
      check();
    });
    check();
  });
  await engine.stop();
  await readStore.close();
  await eventStore.close();
}

main(process.argv[2], Number(process.argv[3] ?? 1000)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
