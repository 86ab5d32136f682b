import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_SET_AS_OF } from '../../src/demo/demo-cohorts';
import { DEMO_SEED, demoDataSet, type DemoRecipient } from '../../src/demo/demo-data-set';
import { seedDemo } from '../../src/demo/seed-runner';
import { FixedClock, systemClock } from '../../src/platform/clock';
import { parseAppConfig } from '../../src/config/app.config';
import { openApplicationEventStore } from '../../src/platform/personal-data/open-application-event-store';
import type { StoredEvent } from '../../src/platform/event-store/event-store.port';
import {
  API,
  AUTH_TOKENS,
  bearer,
  maskNik,
  startApi,
  TOKENS,
  type KubeBody,
  type RseBody,
} from '../helpers/api-client';
import { TRACEABLE_GROUP, TRACEABLE_WOMAN } from '../helpers/personal-data';
import { allEvents } from '../helpers/read-model-comparison';
import { canonicalJson } from '../../src/http/idempotency/canonical-json';

/**
 * Issue 13: the log once held `sha256("POST /api/v1/recipients\n" + canonical JSON of the body)`
 * for every registration sent with an Idempotency-Key, and the body holds the clear NIK: with the
 * masked NIK and the rest of the registration beside it in the log, the NIK fell to brute force.
 *
 * Here a realistic log is seeded (part of the demo data set, as `seed:demo` sends it, every
 * request with an Idempotency-Key; and registrations carrying a phone and an address under keys
 * that hold the NIK itself, as a careless client would make them), then every 64-hex string
 * stored anywhere in the data directory is attacked with every unkeyed construction we know of.
 * The attacker is given the answer list: the candidates for each masked NIK are the seeded NIKs
 * with that mask, far fewer than the 10^8 an attacker would have to try. Nothing may match. A
 * control shows the same attack recovers NIKs from hashes built the way the old code built them.
 */

const ALGORITHMS = ['sha256', 'sha3-256', 'blake2s256', 'sha512-256'] as const;
const REGISTRATION_PATH = `${API}/recipients`;

const actorOf = (token: string) =>
  AUTH_TOKENS.find((grant) => grant.token === token)?.actor ?? 'unknown';
const OPERATOR = actorOf(TOKENS.operator);

/** Idempotency-Keys a careless client builds from the NIK of the registration. */
const nikKey = (nik: string) => `daftar-${nik}`;

function digests(text: string): Map<string, string> {
  return new Map(
    ALGORITHMS.map((algorithm) => [
      createHash(algorithm).update(text, 'utf8').digest('hex'),
      algorithm,
    ]),
  );
}

/** How the old interceptor fingerprinted a request: unkeyed, over the clear body. */
function oldRequestHash(body: object): string {
  return createHash('sha256')
    .update(`POST ${REGISTRATION_PATH}\n${canonicalJson(body)}`, 'utf8')
    .digest('hex');
}

interface StoredNik {
  nikHash: string;
  nikMasked: string;
}

type StoredRegistration = { recipientId: string } & (
  | (StoredNik & { kind: 'RSE' } & Record<string, unknown>)
  | ({ kind: 'KUBE'; members: (StoredNik & Record<string, unknown>)[] } & Record<string, unknown>)
);

/** Every combination of one candidate per slot, bounded (the masks leave one candidate here). */
function combinations(slots: string[][], limit = 1024): string[][] {
  let result: string[][] = [[]];
  for (const candidates of slots) {
    result = result.flatMap((prefix) => candidates.map((nik) => [...prefix, nik]));
    if (result.length > limit) throw new Error('Too many combinations for this test');
  }
  return result;
}

/** The request body as it was sent, rebuilt from a stored registration and candidate NIKs. */
function rebuiltBody(registration: StoredRegistration, niks: string[]): Record<string, unknown> {
  const strip = ({
    nikHash: _h,
    nikMasked: _m,
    dataKeyId: _k,
    ...rest
  }: StoredNik & Record<string, unknown>) => rest;
  const { recipientId: _id, dataKeyId: _key, ...data } = registration;
  if (data.kind === 'RSE')
    return { ...strip(data as StoredNik & Record<string, unknown>), nik: niks[0] };
  const kube = data as { members: (StoredNik & Record<string, unknown>)[] } & Record<
    string,
    unknown
  >;
  return {
    ...kube,
    members: kube.members.map((member, index) => ({ ...strip(member), nik: niks[index] })),
  };
}

interface Recovery {
  construction: string;
  niks: string[];
}

/**
 * Everything an attacker without the NIK key can compute for the candidate NIKs, by digest:
 * hashes of the NIK itself, of each stored registration's request body rebuilt with candidate
 * NIKs (in the old fingerprint's form and others), of the keys' stream names as the old code
 * made them, and of the new purposes' texts without their key.
 */
function attackTable(
  candidates: readonly string[],
  registrations: readonly StoredRegistration[],
  keys: readonly { actor: string; key: string }[],
): Map<string, Recovery> {
  const table = new Map<string, Recovery>();
  const add = (text: string, construction: string, niks: string[]) => {
    for (const [hex, algorithm] of digests(text)) {
      if (!table.has(hex)) table.set(hex, { construction: `${algorithm}(${construction})`, niks });
    }
  };
  for (const nik of candidates) {
    add(nik, 'nik', [nik]);
    add(`nik\n${nik}`, 'nik with a purpose', [nik]);
    add(createHash('sha256').update(nik).digest('hex'), 'sha256 of nik', [nik]);
    add(`${OPERATOR}\n${nikKey(nik)}`, 'actor and a key holding the nik', [nik]);
    add(`idempotency-key\n${OPERATOR}\n${nikKey(nik)}`, 'keyed purpose without its key', [nik]);
  }
  for (const registration of registrations) {
    const masks =
      registration.kind === 'RSE'
        ? [registration.nikMasked]
        : registration.members.map((member) => member.nikMasked);
    const slots = masks.map((mask) => candidates.filter((nik) => maskNik(nik) === mask));
    for (const niks of combinations(slots)) {
      const body = rebuiltBody(registration, niks);
      const canonical = canonicalJson(body);
      const requestText = `POST ${REGISTRATION_PATH}\n${canonical}`;
      add(requestText, 'method, path and canonical body (the old fingerprint)', niks);
      add(`idempotency-request\n${requestText}`, 'keyed purpose without its key', niks);
      add(canonical, 'canonical body', niks);
      add(JSON.stringify(body), 'body as stored', niks);
    }
  }
  for (const { actor, key } of keys) {
    add(`${actor}\n${key}`, 'actor and key (the old stream name)', []);
  }
  return table;
}

/** Each stored hash the table explains, as `hash: construction -> NIKs`. */
function bruteForce(hexes: Iterable<string>, table: Map<string, Recovery>): string[] {
  const found: string[] = [];
  for (const hex of hexes) {
    const match = table.get(hex);
    if (match) found.push(`${hex}: ${match.construction} -> [${match.niks.join(', ')}]`);
  }
  return found;
}

const HEX_64 = /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/gi;

describe('no NIK can be recovered from the stored log without the NIK key', () => {
  let dataDir: string;
  let dataSet: DemoRecipient[];
  let events: StoredEvent[];
  /** Every file of the data directory (stores, WAL, key files), as raw text. */
  let rawFiles: string;
  let seededNiks: string[];
  let keysSent: { actor: string; key: string }[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'bansos-nik-recovery-'));
    const all = demoDataSet();
    // Registrations from every cohort: RSE women and KUBe groups of five across the years.
    dataSet = [
      ...all
        .filter((recipient) => recipient.registration.kind === 'RSE')
        .filter((_, n) => n % 25 === 0),
      ...all
        .filter((recipient) => recipient.registration.kind === 'KUBE')
        .filter((_, n) => n % 10 === 0),
    ];
    // Past the data set's date, 10:00 WITA the day after: every follow-up date is accepted.
    const clock = new FixedClock(
      new Date(Date.parse(`${DATA_SET_AS_OF}T02:00:00.000Z`) + 86_400_000),
    );
    const api = await startApi({ clock, env: { DATA_DIR: dataDir } });
    const traceable: (RseBody | KubeBody)[] = [TRACEABLE_WOMAN, TRACEABLE_GROUP];
    try {
      const url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
      await seedDemo({
        url,
        operatorToken: TOKENS.operator,
        monitorToken: TOKENS.monitor,
        dataSet,
      });
      for (const body of traceable) {
        const nik = body.kind === 'RSE' ? body.nik : body.members[0].nik;
        const response = await api.http
          .post(REGISTRATION_PATH)
          .set('Authorization', bearer('operator'))
          .set('Idempotency-Key', nikKey(nik))
          .send(body);
        expect(response.status).toBe(201);
      }
    } finally {
      await api.stop();
    }
    // Decrypted with the keys the directory holds (a development master key is there too): the
    // attacker is given every personal field, to show that no NIK follows even then.
    const store = await openApplicationEventStore(
      parseAppConfig({ DATA_DIR: dataDir }),
      systemClock,
    );
    try {
      events = await allEvents(store);
    } finally {
      await store.close();
    }
    rawFiles = readdirSync(dataDir)
      .map((file) => readFileSync(join(dataDir, file)).toString('latin1'))
      .join('\n');
    const bodies = [...dataSet.map((recipient) => recipient.registration), ...traceable];
    seededNiks = bodies.flatMap((body) =>
      body.kind === 'RSE' ? [body.nik] : body.members.map((member) => member.nik),
    );
    // As seed:demo makes them (src/demo/seed-runner.ts).
    const prefix = (recipient: DemoRecipient) => `demo-${DEMO_SEED}-v1/${recipient.key}`;
    keysSent = [
      ...dataSet.flatMap((recipient) =>
        Array.from({ length: 2 + recipient.followUps.length }, (_, index) => ({
          actor: actorOf(index < 2 ? TOKENS.operator : TOKENS.monitor),
          key: `${prefix(recipient)}/${index}`,
        })),
      ),
      ...traceable.map((body) => ({
        actor: OPERATOR,
        key: nikKey(body.kind === 'RSE' ? body.nik : body.members[0].nik),
      })),
    ];
  }, 120_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const registrations = () =>
    events
      .filter((event) => event.type === 'RecipientRegistered')
      .map((event) => event.data as StoredRegistration);

  /** Each event as text: its stream name, data and metadata. */
  const eventTexts = () =>
    events.map((event) =>
      [event.streamName, JSON.stringify(event.data), JSON.stringify(event.metadata)].join('\n'),
    );

  /** Every 64-hex string stored: in event data, metadata and stream names, and in any file. */
  function storedHexes(): Set<string> {
    return new Set(
      [...eventTexts(), rawFiles].flatMap((text) =>
        (text.match(HEX_64) ?? []).map((hex) => hex.toLowerCase()),
      ),
    );
  }

  it('seeded a realistic log: registrations sent with Idempotency-Keys, disbursements and follow-ups', () => {
    const count = (type: string) => events.filter((event) => event.type === type).length;
    expect(count('RecipientRegistered')).toBe(dataSet.length + 2);
    expect(count('AidDisbursed')).toBe(dataSet.length);
    expect(count('IdempotentRequestAnswered')).toBe(keysSent.length);
    expect(dataSet.some((recipient) => recipient.registration.kind === 'KUBE')).toBe(true);
    expect(seededNiks.length).toBeGreaterThan(50);
    // Each masked NIK narrows the candidates to the one seeded NIK: the attack below is complete.
    expect(new Set(seededNiks.map(maskNik)).size).toBe(seededNiks.length);
  });

  it('holds no NIK in clear anywhere in the data directory', () => {
    const everything = [rawFiles, ...eventTexts()].join('\n');
    expect(seededNiks.filter((nik) => everything.includes(nik))).toEqual([]);
  });

  it('no stored hash matches any unkeyed construction over the seeded NIKs', () => {
    const hexes = storedHexes();
    // Stream names, NIK hashes, request fingerprints and event hashes are all there to attack.
    expect(hexes.size).toBeGreaterThan(events.length);
    const table = attackTable(seededNiks, registrations(), keysSent);
    expect(bruteForce(hexes, table)).toEqual([]);
  });

  it('control: the same brute force recovers the NIKs from hashes built the old way', () => {
    const table = attackTable(seededNiks, registrations(), keysSent);
    const woman = dataSet.find((recipient) => recipient.registration.kind === 'RSE');
    const group = dataSet.find((recipient) => recipient.registration.kind === 'KUBE');
    if (!woman || !group || group.registration.kind !== 'KUBE')
      throw new Error('No such recipient');
    const niks = group.registration.members.map((member) => member.nik);
    const leaks = [
      oldRequestHash(woman.registration),
      oldRequestHash(group.registration),
      oldRequestHash(TRACEABLE_WOMAN),
      createHash('sha256').update(TRACEABLE_GROUP.members[2].nik).digest('hex'),
      createHash('sha256')
        .update(`${OPERATOR}\n${nikKey(TRACEABLE_WOMAN.nik)}`)
        .digest('hex'),
    ];
    const recovered = bruteForce(leaks, table).map((found) => found.replace(/^.*-> /, ''));
    expect(recovered).toEqual([
      `[${(woman.registration as { nik: string }).nik}]`,
      `[${niks.join(', ')}]`,
      `[${TRACEABLE_WOMAN.nik}]`,
      `[${TRACEABLE_GROUP.members[2].nik}]`,
      `[${TRACEABLE_WOMAN.nik}]`,
    ]);
  });
});
