import { PROJECTIONS } from '../../projections';
import { systemClock } from '../platform/clock';
import { parseAppConfig } from '../config/app.config';
import type { EventStore } from '../platform/event-store/event-store.port';
import { collectionOf } from '../platform/projection-engine/projection';
import { PROJECTION_LEASE } from '../platform/projection-engine/projection-engine';
import {
  ProjectionGroup,
  SubscriptionEndedError,
  type GroupMember,
} from '../platform/projection-engine/projection-group';
import { LAG_COUNT_CAP } from '../operations/health/health-probe';
import { openApplicationEventStore } from '../platform/personal-data/open-application-event-store';
import { createReadStore } from '../platform/read-store/create-read-store';
import type { ReadStore } from '../platform/read-store/read-store.port';
import { ProgressBar } from './progress-bar';

const HELP = `Usage: npm run projections -- <command>

Commands:
  status            each projection's collections, checkpoints and lag
  rebuild <name>    rebuild a read model from the first event into a new collection while the
                    current one keeps serving; reads switch over when it has caught up
  --help            this text

Projections: ${PROJECTIONS.map((definition) => definition.name).join(', ')}
Configuration comes from the environment, as for the service (DATA_DIR, EVENTSTORE_URL, MONGODB_URL).`;

async function status(eventStore: EventStore, readStore: ReadStore): Promise<number> {
  const head = await eventStore.headPosition();
  console.log(`head position ${head}`);
  const lease = await readStore.lease(PROJECTION_LEASE);
  const expired = lease !== null && lease.expiresAt.getTime() <= Date.now();
  console.log(
    lease === null
      ? 'projection lease: free (no projector runs)'
      : `projection lease: ${lease.holder}, ${expired ? 'expired' : 'valid'} until ${lease.expiresAt.toISOString()}`,
  );
  for (const checkpoint of await readStore.checkpoints()) {
    // Positions are byte offsets on KurrentDB: the lag is counted in events, up to a cap.
    const lag = await eventStore.countEventsAfter(checkpoint.position, LAG_COUNT_CAP);
    console.log(
      `${checkpoint.projection.padEnd(22)} v${checkpoint.version} ${checkpoint.status.padEnd(9)} ` +
        `${checkpoint.collection.padEnd(34)} position ${checkpoint.position} ` +
        `(lag ${lag >= LAG_COUNT_CAP ? `${LAG_COUNT_CAP}+` : lag} events)`,
    );
  }
  return 0;
}

async function rebuild(
  name: string | undefined,
  eventStore: EventStore,
  readStore: ReadStore,
): Promise<number> {
  const definition = PROJECTIONS.find((candidate) => candidate.name === name);
  if (!definition) {
    console.error(`Unknown projection "${name ?? ''}". ${HELP.split('\n').at(-2)}`);
    return 2;
  }
  for (const leftover of await readStore.checkpoints(definition.name)) {
    if (leftover.status === 'building') await readStore.dropCollection(leftover.collection);
  }
  const collection = `${collectionOf(definition)}-${Date.now().toString(36)}`;
  await readStore.ensureCollection({ name: collection, indexes: definition.indexes });
  await readStore.createCheckpoint({
    projection: definition.name,
    collection,
    version: definition.version,
    position: 0n,
    status: 'building',
  });
  const head = await eventStore.headPosition();
  const member: GroupMember = { definition, collection, position: 0n, status: 'building' };
  if (head === 0n) {
    await readStore.promote(collection);
  } else {
    const bar = new ProgressBar(`rebuild ${definition.name}`, Number(head));
    let interrupted = false;
    // A subscription the store ends (a leader change, a restart) resumes from the checkpoint.
    for (let resumed = false; ; resumed = true) {
      if (resumed) {
        console.error(`The event store ended the subscription; resuming at ${member.position}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const group: ProjectionGroup = new ProjectionGroup(eventStore, readStore, [member], {
        committed: () => {
          bar.update(Number(member.position));
          if (member.status === 'active' || member.failure) void group.stop();
        },
        replanNeeded: () => {
          interrupted = true;
        },
      });
      try {
        await group.run();
        break;
      } catch (error) {
        if (!(error instanceof SubscriptionEndedError)) throw error;
      }
    }
    bar.finish(Number(member.position));
    if (member.failure) {
      console.error(member.failure.message);
      return 1;
    }
    if (interrupted || member.status !== 'active') {
      console.error(
        `The rebuild of ${definition.name} was interrupted: another process replaced its collection`,
      );
      return 1;
    }
  }
  console.log(
    `${definition.name} rebuilt into ${collection} up to position ${member.position}; it now serves reads`,
  );
  return 0;
}

async function main(args: string[]): Promise<number> {
  const [command, name] = args;
  if (command === undefined || command === '--help' || command === 'help') {
    console.log(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'status' && command !== 'rebuild') {
    console.error(`Unknown command "${command}".\n\n${HELP}`);
    return 2;
  }
  const config = parseAppConfig(process.env);
  // Projections read personal fields decrypted (or erased), as the service's do.
  const eventStore = await openApplicationEventStore(config, systemClock);
  const readStore = await createReadStore(config.readStore);
  try {
    return command === 'status'
      ? await status(eventStore, readStore)
      : await rebuild(name, eventStore, readStore);
  } finally {
    await eventStore.close();
    await readStore.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
