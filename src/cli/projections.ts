import { systemClock } from '../platform/clock';
import { parseAppConfig } from '../config/app.config';
import type { EventStore } from '../platform/event-store/event-store.port';
import { collectionOf, type ProjectionDefinition } from '../platform/projection-engine/projection';
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
import { terminalJson, terminalText } from '../audit/text-output';
import {
  choice,
  commandOf,
  HELP_OPTION,
  parseCommandLine,
  printUsage,
  runCommandLine,
  TABLE_FORMATS,
} from './command-line';
import { requireExistingLedger } from './existing-data-dir';
import { namedProjection, PROJECTION_NAMES } from './projection-argument';
import { ProgressBar } from './progress-bar';

const ENVIRONMENT =
  'Configuration comes from the environment, as for the service (DATA_DIR, EVENTSTORE_URL, MONGODB_URL).';

const COMMAND_NAMES = ['status', 'rebuild'] as const;
type Command = (typeof COMMAND_NAMES)[number];

const HELP: Record<'projections' | Command, string> = {
  projections: `Usage: bansos-projections <command> [options]
       bansos-projections <command> --help

Commands:
  status            each projection's collections, checkpoints and lag
  rebuild <name>    rebuild a read model from the first event into a new collection while the
                    current one keeps serving; reads switch over when it has caught up

Run a command with -h or --help for its options. Exit status 2: bad usage (the message and the
usage on stderr). ${ENVIRONMENT}`,
  status: `Usage: bansos-projections status [--format table|json]

The event log's head position, the projection lease (which projector holds it, until when) and,
for each projection, its version, status (active, or building during a rebuild), collection,
checkpoint position and lag: the events after its checkpoint, counted up to ${LAG_COUNT_CAP}.

  --format     table (default), or json: one document {headPosition, lease: {holder, expiresAt,
               expired} or null, projections: [{projection, version, status, collection,
               position, lagEvents, lagCapped}]}; positions are strings (KurrentDB's can pass
               2^53), lagCapped is true when lagEvents is the cap (at least that many)
  -h, --help   this text`,
  rebuild: `Usage: bansos-projections rebuild <name>

Rebuilds a read model from the first event into a new collection while the current one keeps
serving; reads switch over when it has caught up. Exit status 0: rebuilt; 1: it failed or another
process replaced its collection meanwhile; 2: bad usage.

  -h, --help   this text

Projections: ${PROJECTION_NAMES}`,
};

const STATUS_OPTIONS = { ...HELP_OPTION, format: { type: 'string' } } as const;

/** A command whose command line was understood: it runs on the stores. */
type Run = (eventStore: EventStore, readStore: ReadStore) => Promise<number>;

/** What `status` reports, as `--format json` prints it. */
interface ProjectionsStatus {
  headPosition: string;
  lease: { holder: string; expiresAt: string; expired: boolean } | null;
  projections: {
    projection: string;
    version: number;
    status: string;
    collection: string;
    position: string;
    lagEvents: number;
    lagCapped: boolean;
  }[];
}

async function readStatus(
  eventStore: EventStore,
  readStore: ReadStore,
): Promise<ProjectionsStatus> {
  const lease = await readStore.lease(PROJECTION_LEASE);
  const projections: ProjectionsStatus['projections'] = [];
  for (const checkpoint of await readStore.checkpoints()) {
    // Positions are byte offsets on KurrentDB: the lag is counted in events, up to a cap.
    const lag = await eventStore.countEventsAfter(checkpoint.position, LAG_COUNT_CAP);
    projections.push({
      projection: checkpoint.projection,
      version: checkpoint.version,
      status: checkpoint.status,
      collection: checkpoint.collection,
      position: checkpoint.position.toString(),
      lagEvents: Math.min(lag, LAG_COUNT_CAP),
      lagCapped: lag >= LAG_COUNT_CAP,
    });
  }
  return {
    headPosition: (await eventStore.headPosition()).toString(),
    lease: lease && {
      holder: lease.holder,
      expiresAt: lease.expiresAt.toISOString(),
      expired: lease.expiresAt.getTime() <= Date.now(),
    },
    projections,
  };
}

function statusText({ headPosition, lease, projections }: ProjectionsStatus): string {
  return [
    `head position ${headPosition}`,
    lease === null
      ? 'projection lease: free (no projector runs)'
      : `projection lease: ${lease.holder}, ${lease.expired ? 'expired' : 'valid'} until ${lease.expiresAt}`,
    ...projections.map(
      (p) =>
        `${p.projection.padEnd(22)} v${p.version} ${p.status.padEnd(9)} ` +
        `${p.collection.padEnd(34)} position ${p.position} ` +
        `(lag ${p.lagEvents}${p.lagCapped ? '+' : ''} events)`,
    ),
  ].join('\n');
}

function status(args: string[]): Run | 'help' {
  const { values } = parseCommandLine(args, STATUS_OPTIONS, HELP.status);
  if (values.help) return 'help';
  const format = choice('format', values.format, TABLE_FORMATS, 'table', HELP.status);
  return async (eventStore, readStore) => {
    const report = await readStatus(eventStore, readStore);
    console.log(format === 'json' ? terminalJson(report, 2) : terminalText(statusText(report)));
    return 0;
  };
}

function rebuild(args: string[]): Run | 'help' {
  const { values, positionals } = parseCommandLine(args, HELP_OPTION, HELP.rebuild, 1);
  if (values.help) return 'help';
  const definition = namedProjection(positionals[0], HELP.rebuild);
  return (eventStore, readStore) => rebuildProjection(definition, eventStore, readStore);
}

async function rebuildProjection(
  definition: ProjectionDefinition,
  eventStore: EventStore,
  readStore: ReadStore,
): Promise<number> {
  for (const leftover of await readStore.checkpoints(definition.name)) {
    if (leftover.status === 'building') await readStore.dropCollection(leftover.collection);
  }
  const collection = `${collectionOf(definition)}-${Date.now().toString(36)}`;
  await readStore.ensureCollection(
    { name: collection, indexes: definition.indexes },
    { deferIndexes: true },
  );
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

const COMMANDS: Record<Command, (args: string[]) => Run | 'help'> = { status, rebuild };

async function main(args: string[]): Promise<number> {
  const chosen = commandOf(args, COMMAND_NAMES, HELP.projections);
  if (chosen === null) return printUsage(HELP.projections);
  const run = COMMANDS[chosen.command](chosen.rest);
  if (run === 'help') return printUsage(HELP[chosen.command]);
  const config = parseAppConfig(process.env);
  requireExistingLedger(config);
  // Projections read personal fields decrypted (or erased), as the service's do.
  const eventStore = await openApplicationEventStore(config, systemClock);
  const readStore = await createReadStore(config.readStore);
  try {
    return await run(eventStore, readStore);
  } finally {
    await eventStore.close();
    await readStore.close();
  }
}

runCommandLine(main);
