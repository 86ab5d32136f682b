import { parseAppConfig } from '../../src/config/app.config';
import { openDataKeyStore } from '../../src/platform/personal-data/open-data-key-store';
import { openApplicationEventStore } from '../../src/platform/personal-data/open-application-event-store';
import { systemClock } from '../../src/platform/clock';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECTIONS } from '../../projections';
import { NikHasher } from '../../src/platform/command-handling/nik-hasher';
import { verifyLog, type VerifyReport } from '../../src/audit/verify/verify-log';
import { REGENCIES } from '../../src/domain/programme/regencies';
import type { StoredEvent } from '../../src/platform/event-store/event-store.port';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import {
  API,
  AUTH_TOKENS,
  disbursementBody,
  itemsWorth,
  kubeBody,
  monitoringBody,
  NIK_HMAC_SECRET,
  rseBody,
  TOKENS,
} from '../helpers/api-client';
import { allEvents } from '../helpers/read-model-comparison';
import {
  killAllServices,
  send,
  startService,
  type Answer,
  type ServiceProcess,
} from './service-process';

/**
 * The service killed with SIGKILL in the middle of bursts of 500 mixed commands, each carrying
 * its own Idempotency-Key, and every request left without an answer sent again with its key and
 * body until answered, as a careful client would: no command may take effect twice, no retry may
 * be refused for its own effect, no quota slot may outlive its disbursement, and verify must find
 * the log clean. Then the same with two API processes on one DATA_DIR, and one key sent to both
 * at once with two different bodies.
 */

const BURST = 500;
const CONNECTIONS = 32;
const CYCLES = 5;
/** Kill after this many answers, at random in [KILL_AFTER_MIN, KILL_AFTER_MAX]. */
const KILL_AFTER_MIN = 100;
const KILL_AFTER_MAX = 400;
/** A request left without an answer is sent again at most this often, this far apart. */
const RETRY_ATTEMPTS = 40;
const RETRY_PAUSE_MS = 100;
const RACES_PER_KIND = 9;
/** The longest wait for a commit once the kill is due; then it comes anyway. */
const KILL_WAIT_MS = 2_000;
/**
 * The programme's years whose dates used here (March to August) are past: the service runs on
 * the real clock and refuses dates after today.
 */
const YEARS = [2024, 2025, 2026].filter((year) => new Date(`${year}-09-01`) < new Date());

type Step = 'register' | 'disburse' | 'reverse' | 'monitor';
type Role = 'operator' | 'monitor';

/** Each recipient's commands, in order: every burst holds 500 / 4 of them. */
const PLANS: readonly (readonly Step[])[] = [
  ['register', 'disburse', 'monitor', 'monitor'], // aid stands, visited twice
  ['register', 'disburse', 'reverse', 'disburse'], // aid reversed, then disbursed again
  ['register', 'disburse', 'monitor', 'reverse'], // visited, then reversed
];

const ACTOR: Record<Role, string> = {
  operator: actorOf(TOKENS.operator),
  monitor: actorOf(TOKENS.monitor),
};

function actorOf(token: string): string {
  const grant = AUTH_TOKENS.find((candidate) => candidate.token === token);
  if (!grant) throw new Error('No such token');
  return grant.actor;
}

/** One request as the client sends it, again and again if need be: same key, same body. */
interface Command {
  key: string;
  step: Step;
  role: Role;
  path: string;
  body: Record<string, unknown>;
  /** The status of success, first time or replayed. */
  expected: 200 | 201;
  /** For a registration: how many NIKs it claims. */
  niks: number;
}

interface SentAnswer extends Answer {
  retry: boolean;
  through: string;
}

/** What the client saw of one key. */
interface Outcome {
  command: Command;
  answers: SentAnswer[];
  /** Sends that got no answer at all (connection refused or reset). */
  lost: number;
}

interface Chain {
  id: string;
  plan: readonly Step[];
  kube: boolean;
  regencyCode: string;
  year: number;
  /** The index in `plan` of the next command. */
  next: number;
  recipientId?: string;
  disbursementId?: string;
  /** Sent but never answered: sent again before anything else of this chain. */
  pending?: Command;
  /**
   * Where its first command goes; each next one goes to the next process, as a round-robin load
   * balancer would send them (a reversal through the process that did not disburse).
   */
  home: number;
}

class Client {
  readonly outcomes = new Map<string, Outcome>();
  /** Answers received since `armKill`. */
  private answered = 0;
  private killAt = Infinity;
  private victim: ServiceProcess | null = null;
  private walFile = '';
  killedAfter: number | null = null;

  /**
   * After `after` more answers, kill the victim the moment the next commit reaches the event
   * store's file (its WAL is written): the commit's answers are then most likely still unsent,
   * the instant a retry must be answered from the log.
   */
  armKill(victim: ServiceProcess, after: number, walFile: string): void {
    this.answered = 0;
    this.killAt = after;
    this.victim = victim;
    this.walFile = walFile;
    this.killedAfter = null;
  }

  get killed(): boolean {
    return this.killedAfter !== null;
  }

  private async killAfterNextCommit(victim: ServiceProcess, walFile: string): Promise<void> {
    const written = () => statSync(walFile, { bigint: true, throwIfNoEntry: false })?.mtimeNs;
    const before = written();
    const deadline = Date.now() + KILL_WAIT_MS;
    // Written since, and no longer being written: the commit's frames are in, its fsync or its
    // answers under way.
    for (let last = before, now = written(); ; last = now, now = written()) {
      if ((now !== before && now === last) || Date.now() > deadline) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.killedAfter = this.answered;
    victim.child.kill('SIGKILL');
  }

  /** One send; throws when no answer comes. */
  async sendOnce(service: ServiceProcess, command: Command, retry: boolean): Promise<Answer> {
    const outcome = this.outcomeOf(command);
    let answer: Answer;
    try {
      answer = await send(service, 'POST', command.path, {
        token: TOKENS[command.role],
        idempotencyKey: command.key,
        body: command.body,
      });
    } catch (error) {
      outcome.lost++;
      throw error;
    }
    outcome.answers.push({ ...answer, retry, through: service.name });
    if (++this.answered === this.killAt && this.victim) {
      void this.killAfterNextCommit(this.victim, this.walFile);
    }
    return answer;
  }

  /** Sends until an answer comes, within a bound. */
  async sendUntilAnswered(
    service: () => ServiceProcess,
    command: Command,
    retry: boolean,
  ): Promise<Answer> {
    let lastError: unknown;
    for (let attempt = 0; attempt < RETRY_ATTEMPTS; attempt++) {
      try {
        return await this.sendOnce(service(), command, retry || attempt > 0);
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      }
    }
    throw new Error(`No answer to ${command.key} after ${RETRY_ATTEMPTS} sends: ${lastError}`);
  }

  private outcomeOf(command: Command): Outcome {
    let outcome = this.outcomes.get(command.key);
    if (!outcome) {
      outcome = { command, answers: [], lost: 0 };
      this.outcomes.set(command.key, outcome);
    }
    return outcome;
  }
}

function chainsFor(cycle: number, processes: number): Chain[] {
  return Array.from({ length: BURST / 4 }, (_, index): Chain => {
    const kube = index % 5 === 4;
    // KUBe: at most 20 a year per regency; spread them over regencies first, then years.
    const spread = kube ? Math.floor(index / 5) : index;
    return {
      id: `c${cycle}-r${index}`,
      plan: PLANS[index % PLANS.length],
      kube,
      regencyCode: REGENCIES[spread % REGENCIES.length].code,
      year: YEARS[(Math.floor(spread / REGENCIES.length) + index + cycle) % YEARS.length],
      next: 0,
      home: index % processes,
    };
  });
}

function commandFor(chain: Chain): Command {
  const step = chain.plan[chain.next];
  const key = `${chain.id}-${chain.next}-${step}`;
  const recipient = `${API}/recipients/${chain.recipientId}`;
  switch (step) {
    case 'register':
      return {
        key,
        step,
        role: 'operator',
        path: `${API}/recipients`,
        body: (chain.kube
          ? kubeBody({ regencyCode: chain.regencyCode })
          : rseBody({ regencyCode: chain.regencyCode })) as unknown as Record<string, unknown>,
        expected: 201,
        niks: chain.kube ? 5 : 1,
      };
    case 'disburse':
      return {
        key,
        step,
        role: 'operator',
        path: `${recipient}/disbursements`,
        body: disbursementBody({
          year: chain.year,
          disbursedOn: `${chain.year}-03-0${1 + chain.next}`,
          ...(chain.kube ? { items: itemsWorth(20_000_000) } : {}),
        }) as unknown as Record<string, unknown>,
        expected: 201,
        niks: 0,
      };
    case 'reverse':
      return {
        key,
        step,
        role: 'operator',
        path: `${API}/disbursements/${chain.disbursementId}/reversal`,
        body: { reason: 'Data ganda' },
        expected: 200,
        niks: 0,
      };
    case 'monitor':
      return {
        key,
        step,
        role: 'monitor',
        path: `${recipient}/monitoring`,
        body: monitoringBody({
          visitDate: `${chain.year}-06-1${chain.next}`,
        }) as unknown as Record<string, unknown>,
        expected: 201,
        niks: 0,
      };
  }
}

function routeOf(chain: Chain, processes: number): number {
  return (chain.home + chain.next) % processes;
}

/** Moves the chain on after an answer; a refusal stops it (and fails the checks later). */
function advance(chain: Chain, command: Command, answer: Answer): void {
  chain.pending = undefined;
  if (answer.status !== command.expected) {
    chain.next = chain.plan.length;
    return;
  }
  const body = answer.body as { recipientId?: string; disbursementId?: string };
  if (command.step === 'register') chain.recipientId = body.recipientId;
  if (command.step === 'disburse') chain.disbursementId = body.disbursementId;
  if (command.step === 'reverse') chain.disbursementId = undefined;
  chain.next++;
}

async function pool<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

interface CycleReport {
  killedAfter: number | null;
  /** Requests sent again after the kill. */
  retried: number;
  /** Of those, answered from their key: they had taken effect before the kill. */
  replayed: number;
}

/**
 * One burst: the chains run on `processes` until the victim is killed after `killAt` answers;
 * the victim is started again; every request left without an answer is sent again (through
 * `retryThrough`) until answered, then every chain is finished.
 */
async function crashCycle(
  client: Client,
  walFile: string,
  chains: Chain[],
  processes: ServiceProcess[],
  victim: number,
  restart: () => Promise<ServiceProcess>,
  retryThrough: (chain: Chain) => number,
): Promise<CycleReport> {
  const killAt = KILL_AFTER_MIN + Math.floor(Math.random() * (KILL_AFTER_MAX - KILL_AFTER_MIN + 1));
  client.armKill(processes[victim], killAt, walFile);
  const queue = [...chains];
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      for (let chain = queue.shift(); chain && !client.killed; chain = queue.shift()) {
        while (!client.killed && chain.next < chain.plan.length) {
          const command = commandFor(chain);
          try {
            advance(
              chain,
              command,
              await client.sendOnce(processes[routeOf(chain, processes.length)], command, false),
            );
          } catch {
            chain.pending = command;
            break;
          }
        }
      }
    }),
  );
  const killedAfter = client.killedAfter;
  await processes[victim].kill();
  processes[victim] = await restart();

  const pending = chains.filter((chain) => chain.pending);
  let replayed = 0;
  await pool(pending, async (chain) => {
    const command = chain.pending as Command;
    const answer = await client.sendUntilAnswered(
      () => processes[retryThrough(chain)],
      command,
      true,
    );
    if (answer.replayed) replayed++;
    advance(chain, command, answer);
  });
  await pool(chains, async (chain) => {
    while (chain.next < chain.plan.length) {
      const command = commandFor(chain);
      advance(
        chain,
        command,
        await client.sendUntilAnswered(
          () => processes[routeOf(chain, processes.length)],
          command,
          false,
        ),
      );
    }
  });
  return { killedAfter, retried: pending.length, replayed };
}

/** The effects one command of each kind appends besides its Idempotency-Key's record. */
function expectedEffects(command: Pick<Command, 'step' | 'niks'>): string[] {
  switch (command.step) {
    case 'register':
      return [...Array(command.niks).fill('NikClaimed'), 'RecipientRegistered'].sort();
    case 'disburse':
      return ['AidDisbursed', 'QuotaSlotTaken'];
    case 'reverse':
      return ['DisbursementReversed', 'QuotaSlotReleased'];
    case 'monitor':
      return ['MonitoringRecorded'];
  }
}

const EFFECT_TYPES = new Set([
  'NikClaimed',
  'RecipientRegistered',
  'AidDisbursed',
  'QuotaSlotTaken',
  'DisbursementReversed',
  'QuotaSlotReleased',
  'MonitoringRecorded',
]);

const hasher = new NikHasher(NIK_HMAC_SECRET);

function keyStream(role: Role, key: string): string {
  return `idempotency-${hasher.keyedHash('idempotency-key', `${ACTOR[role]}\n${key}`)}`;
}

/** The log as the service reads it: personal fields decrypted with its keys. */
async function readLog(dataDir: string): Promise<StoredEvent[]> {
  const store = await openApplicationEventStore(parseAppConfig({ DATA_DIR: dataDir }), systemClock);
  try {
    return await allEvents(store);
  } finally {
    await store.close();
  }
}

/**
 * What the log says of each key the client used: problems found, as readable lines (an empty
 * list is a clean log). Each key must have exactly one record, written by one command together
 * with exactly the effects its kind appends, and no effect may come from anything but a key.
 */
function keyProblems(
  events: readonly StoredEvent[],
  keys: readonly Pick<Command, 'key' | 'role' | 'step' | 'niks'>[],
): string[] {
  const problems: string[] = [];
  const byCause = new Map<string, StoredEvent[]>();
  const records = new Map<string, StoredEvent[]>();
  for (const event of events) {
    if (event.type === 'IdempotentRequestAnswered') {
      records.set(event.streamName, [...(records.get(event.streamName) ?? []), event]);
    } else if (EFFECT_TYPES.has(event.type)) {
      const cause = event.metadata.causationId;
      byCause.set(cause, [...(byCause.get(cause) ?? []), event]);
    }
  }
  const known = new Set<string>();
  for (const command of keys) {
    const stream = keyStream(command.role, command.key);
    known.add(stream);
    const [record, ...more] = records.get(stream) ?? [];
    if (!record) {
      problems.push(`${command.key}: no answer recorded`);
      continue;
    }
    if (more.length > 0) problems.push(`${command.key}: ${1 + more.length} answers recorded`);
    const effects = byCause.get(stream) ?? [];
    const commandIds = new Set([record, ...effects].map((event) => event.metadata.commandId));
    if (commandIds.size !== 1) {
      problems.push(`${command.key}: applied by ${commandIds.size} commands`);
    }
    const types = effects.map((event) => event.type).sort();
    if (JSON.stringify(types) !== JSON.stringify(expectedEffects(command))) {
      problems.push(`${command.key}: effects ${types.join(', ')}`);
    }
    const listed = (
      (record.data as { effects?: { streamName: string; revision: string }[] }).effects ?? []
    )
      .map(({ streamName, revision }) => `${streamName}@${revision}`)
      .sort();
    const found = effects.map((event) => `${event.streamName}@${event.revision}`).sort();
    if (JSON.stringify(listed) !== JSON.stringify(found)) {
      problems.push(
        `${command.key}: the record lists ${listed.join(' ')}, the log holds ${found.join(' ')}`,
      );
    }
  }
  for (const [cause, effects] of byCause) {
    if (!known.has(cause)) {
      problems.push(`${effects.map((event) => event.type).join(', ')} caused by no key (${cause})`);
    }
  }
  for (const stream of records.keys()) {
    if (!known.has(stream)) problems.push(`${stream}: a record of no key the client used`);
  }
  return problems;
}

interface SlotView {
  taken: number;
  released: number;
  data: {
    recipientId: string;
    regencyCode: string;
    valueRupiah: number;
    year: number;
    kind: string;
  };
}

/**
 * The quota streams folded against the recipient streams: every slot held must belong to a live
 * disbursement with the same recipient, regency, year, kind and value, and every live
 * disbursement must hold exactly one slot; a reversed one holds none.
 */
function quotaProblems(events: readonly StoredEvent[]): string[] {
  const slots = new Map<string, SlotView>();
  const aid = new Map<string, SlotView['data']>();
  const reversed = new Set<string>();
  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    const id = data.disbursementId as string;
    if (event.type === 'QuotaSlotTaken') {
      const [, year, kind] = event.streamName.split('-');
      const slot = slots.get(id) ?? {
        taken: 0,
        released: 0,
        data: {
          recipientId: data.recipientId as string,
          regencyCode: data.regencyCode as string,
          valueRupiah: data.valueRupiah as number,
          year: Number(year),
          kind,
        },
      };
      slot.taken++;
      slots.set(id, slot);
    } else if (event.type === 'QuotaSlotReleased') {
      const slot = slots.get(id);
      if (slot) slot.released++;
      else slots.set(id, { taken: 0, released: 1, data: {} as SlotView['data'] });
    } else if (event.type === 'AidDisbursed') {
      const { recipientId, regencyCode, valueRupiah, year, kind } = data as SlotView['data'];
      aid.set(id, { recipientId, regencyCode, valueRupiah, year, kind });
    } else if (event.type === 'DisbursementReversed') {
      reversed.add(id);
    }
  }
  const problems: string[] = [];
  for (const [id, slot] of slots) {
    if (slot.taken !== 1) problems.push(`${id}: ${slot.taken} slots taken`);
    if (slot.released > 1) problems.push(`${id}: released ${slot.released} times`);
    const held = slot.taken > slot.released;
    if (held && !aid.has(id)) problems.push(`${id}: slot held by a missing disbursement`);
    if (held && reversed.has(id)) problems.push(`${id}: slot held by a reversed disbursement`);
    if (!held && aid.has(id) && !reversed.has(id)) problems.push(`${id}: live without a slot`);
    const disbursed = aid.get(id);
    if (disbursed && JSON.stringify(disbursed) !== JSON.stringify(slot.data)) {
      problems.push(
        `${id}: slot ${JSON.stringify(slot.data)} for aid ${JSON.stringify(disbursed)}`,
      );
    }
  }
  for (const id of aid.keys()) {
    if (!slots.has(id)) problems.push(`${id}: disbursed without a slot`);
  }
  return problems;
}

/** What the client was told: every answer a success, the same for every send of one key. */
function answerProblems(outcomes: Iterable<Outcome>): string[] {
  const problems: string[] = [];
  for (const { command, answers } of outcomes) {
    if (answers.length === 0) problems.push(`${command.key}: never answered`);
    for (const answer of answers) {
      if (answer.status !== command.expected) {
        problems.push(
          `${command.key}${answer.retry ? ' (retry)' : ''}: ${answer.status} ${JSON.stringify(answer.body)}`,
        );
      }
    }
    const bodies = new Set(answers.map((answer) => JSON.stringify(answer.body)));
    if (bodies.size > 1) problems.push(`${command.key}: answered ${[...bodies].join(' and ')}`);
  }
  return problems;
}

async function verify(dataDir: string, readModels: boolean): Promise<VerifyReport> {
  const eventStore = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  const readStore = new SqliteReadStore({
    file: readModels ? join(dataDir, 'read-models.sqlite') : ':memory:',
  });
  // Names are encrypted in the log: the read-model replay decrypts with the service's keys.
  const dataKeys = await openDataKeyStore(parseAppConfig({ DATA_DIR: dataDir }));
  try {
    return await verifyLog(eventStore, readStore, PROJECTIONS, { dataKeys });
  } finally {
    await eventStore.close();
    await readStore.close();
    await dataKeys.close();
  }
}

/** A verify report reduced to what must be empty when the log is clean. */
function verifyFindings(report: VerifyReport) {
  return {
    ok: report.ok,
    chains: report.chains.findings,
    links: report.links.findings,
    readModels: report.readModels.filter((model) => model.differenceCount > 0),
  };
}

/** One key, two bodies (or the same body twice), each sent to another process at once. */
interface Race {
  command: Command;
  bodies: [Record<string, unknown>, Record<string, unknown>];
  /** A text only body 0 or body 1 holds, stored with the effect. */
  marks: [string, string];
  /** Each body's NIK, for registrations: only the winner's may be claimed. */
  niks?: [string, string];
}

/** Races on what the bursts left: new registrations, visits, reversals and new disbursements. */
function races(chains: readonly Chain[], round: string): Race[] {
  const standing = chains.filter(
    (chain) => chain.plan === PLANS[0] && chain.disbursementId && !chain.kube,
  );
  const unaided = chains.filter(
    (chain) => chain.plan === PLANS[2] && !chain.disbursementId && !chain.kube,
  );
  const made: Race[] = [];
  for (let n = 0; n < RACES_PER_KIND; n++) {
    const key = (step: Step) => `race-${round}-${step}-${n}`;
    const marks = (what: string): [string, string] => [
      `${what} ${round} ${n} A`,
      `${what} ${round} ${n} B`,
    ];
    const command = (step: Step, role: Role, path: string, expected: 200 | 201, niks = 0) => ({
      key: key(step),
      step,
      role,
      path,
      body: {},
      expected,
      niks,
    });
    const name = marks('Pendaftar');
    const women = [rseBody({ name: name[0] }), rseBody({ name: name[1] })];
    made.push({
      command: command('register', 'operator', `${API}/recipients`, 201, 1),
      bodies: [women[0], women[1]] as unknown as Race['bodies'],
      marks: name,
      niks: [women[0].nik, women[1].nik],
    });
    const visited = standing[2 * n];
    const notes = marks('Kunjungan');
    made.push({
      command: command(
        'monitor',
        'monitor',
        `${API}/recipients/${visited.recipientId}/monitoring`,
        201,
      ),
      bodies: [
        { ...monitoringBody({ visitDate: `${visited.year}-07-01` }), notes: notes[0] },
        { ...monitoringBody({ visitDate: `${visited.year}-07-01` }), notes: notes[1] },
      ],
      marks: notes,
    });
    const reversed = standing[2 * n + 1];
    const reasons = marks('Alasan');
    made.push({
      command: command(
        'reverse',
        'operator',
        `${API}/disbursements/${reversed.disbursementId}/reversal`,
        200,
      ),
      bodies: [{ reason: reasons[0] }, { reason: reasons[1] }],
      marks: reasons,
    });
    reversed.disbursementId = undefined;
    const aided = unaided[n];
    const kits = marks('Paket');
    const aid = (description: string) =>
      disbursementBody({
        year: aided.year,
        disbursedOn: `${aided.year}-08-01`,
        items: [{ description, quantity: 1, unitPriceRupiah: 4_000_000 }],
      }) as unknown as Record<string, unknown>;
    made.push({
      command: command(
        'disburse',
        'operator',
        `${API}/recipients/${aided.recipientId}/disbursements`,
        201,
      ),
      bodies: [aid(kits[0]), aid(kits[1])],
      marks: kits,
    });
    aided.disbursementId = key('disburse');
  }
  return made;
}

/** What both answers and the log must show of one race; an empty list when all is well. */
function raceProblems(
  race: Race,
  answers: [Answer, Answer],
  events: readonly StoredEvent[],
  sameBody: boolean,
): string[] {
  const { key, expected } = race.command;
  const problems: string[] = [];
  const statuses = answers.map((answer) => answer.status);
  const winner = statuses.indexOf(expected);
  if (sameBody) {
    const bodies = new Set(answers.map((answer) => JSON.stringify(answer.body)));
    if (statuses.some((status) => status !== expected) || bodies.size !== 1) {
      problems.push(
        `${key}: answered ${answers.map((a) => `${a.status} ${JSON.stringify(a.body)}`).join(' / ')}`,
      );
    }
  } else if (
    JSON.stringify([...statuses].sort()) !== JSON.stringify([expected, 422]) ||
    (answers[1 - winner].body as { code?: string }).code !== 'IDEMPOTENCY_KEY_REUSED'
  ) {
    problems.push(
      `${key}: answered ${answers.map((a) => `${a.status} ${JSON.stringify(a.body)}`).join(' / ')}`,
    );
  }
  const stream = keyStream(race.command.role, key);
  const effects = events.filter(
    (event) => event.metadata.causationId === stream && EFFECT_TYPES.has(event.type),
  );
  const text = JSON.stringify(effects.map((event) => event.data));
  const applied = race.marks.filter((mark) => text.includes(mark));
  const expectedMarks = sameBody ? [race.marks[0]] : winner < 0 ? [] : [race.marks[winner]];
  if (JSON.stringify(applied) !== JSON.stringify(expectedMarks)) {
    problems.push(`${key}: the log holds the effect of ${applied.join(' and ') || 'neither'} body`);
  }
  if (race.niks && !sameBody && winner >= 0) {
    const claimed = race.niks.filter((nik) =>
      events.some((event) => event.streamName === `nik-${hasher.hash(nik)}`),
    );
    if (JSON.stringify(claimed) !== JSON.stringify([race.niks[winner]])) {
      problems.push(`${key}: ${claimed.length} NIKs claimed`);
    }
  }
  return problems;
}

describe('SIGKILL during bursts of idempotent commands', () => {
  let dataDir: string;
  let walFile: string;
  const client = new Client();
  const chains: Chain[] = [];
  const reports: CycleReport[] = [];
  /** Every key applied so far, with what it must have appended. */
  const applied = new Map<string, Pick<Command, 'key' | 'role' | 'step' | 'niks'>>();
  const processes: ServiceProcess[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bansos-crash-'));
    walFile = join(dataDir, 'events.sqlite-wal');
  });

  afterAll(async () => {
    await killAllServices();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const all = () => startService('all', dataDir);
  const api = () => startService('api', dataDir, { PROCESS_ROLE: 'api' });

  function recordApplied(): void {
    for (const { command } of client.outcomes.values()) applied.set(command.key, command);
  }

  /** Everything that must be empty when every command took effect once and the log is clean. */
  async function logProblems() {
    const events = await readLog(dataDir);
    return {
      answers: answerProblems(client.outcomes.values()),
      keys: keyProblems(events, [...applied.values()]),
      quota: quotaProblems(events),
      verify: verifyFindings(await verify(dataDir, false)),
    };
  }

  const CLEAN = {
    answers: [],
    keys: [],
    quota: [],
    verify: { ok: true, chains: [], links: [], readModels: [] },
  };

  it(`${CYCLES} kills of one process, each in a burst of ${BURST} commands: each applied once, every retry answered as the first time, no stray slot, verify clean`, async () => {
    processes.push(await all());
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const burst = chainsFor(cycle, 1);
      chains.push(...burst);
      const report = await crashCycle(client, walFile, burst, processes, 0, all, () => 0);
      reports.push(report);
      expect({ cycle, killedMidBurst: (report.killedAfter ?? BURST) < BURST }).toEqual({
        cycle,
        killedMidBurst: true,
      });
    }
    recordApplied();
    expect(applied.size).toBe(CYCLES * BURST);
    expect(await logProblems()).toEqual(CLEAN);
  }, 90_000);

  it(`two API processes on one DATA_DIR, one killed in a burst of ${BURST} and its requests retried through the other; one key sent to both at once: one effect`, async () => {
    processes.push(await api());
    const burst = chainsFor(CYCLES + 1, 2);
    chains.push(...burst);
    // Requests left unanswered by the killed process are sent again to the other one.
    reports.push(await crashCycle(client, walFile, burst, processes, 1, api, () => 0));
    recordApplied();
    expect(applied.size).toBe((CYCLES + 1) * BURST);
    // The kills came between appends and their answers: retries were answered from the log.
    expect(reports.reduce((sum, report) => sum + report.replayed, 0)).toBeGreaterThan(0);

    const problems: string[] = [];
    for (const sameBody of [false, true]) {
      const round = sameBody ? 'same' : 'other';
      const results: [Race, [Answer, Answer]][] = [];
      for (const race of races(chains, round)) {
        const answers = await Promise.all(
          processes.map((service, n) =>
            send(service, 'POST', race.command.path, {
              token: TOKENS[race.command.role],
              idempotencyKey: race.command.key,
              body: race.bodies[sameBody ? 0 : n],
            }),
          ),
        );
        results.push([race, answers as [Answer, Answer]]);
        applied.set(race.command.key, race.command);
      }
      const events = await readLog(dataDir);
      for (const [race, answers] of results) {
        problems.push(...raceProblems(race, answers, events, sameBody));
      }
    }
    expect({ races: problems, ...(await logProblems()) }).toEqual({ races: [], ...CLEAN });

    // Stopped as in production, the read models are verified too (what `bansos-audit verify` does).
    for (const service of processes.splice(0)) {
      expect(await service.stop()).toEqual({ code: 0, signal: null });
    }
    const report = await verify(dataDir, true);
    expect(report.notBuilt).toEqual([]);
    expect(verifyFindings(report)).toEqual({ ok: true, chains: [], links: [], readModels: [] });
  }, 60_000);
});
