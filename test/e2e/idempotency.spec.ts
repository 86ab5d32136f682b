import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { canonicalJson } from '../../src/http/idempotency/canonical-json';
import { NikHasher } from '../../src/platform/command-handling/nik-hasher';
import {
  API,
  bearer,
  NIK_HMAC_SECRET,
  rseBody,
  startApi,
  type Api,
  type TokenName,
} from '../helpers/api-client';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hasher = new NikHasher(NIK_HMAC_SECRET);
const ACTOR = 'e2e-operator';

/** What one atomic append per command means for Idempotency-Key, beyond replaying an answer. */
describe('Idempotency-Key', () => {
  let api: Api;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    api = await startApi();
  });

  afterAll(() => api.stop());

  const post = (path: string, role: TokenName, body: object, key: string) =>
    api.http
      .post(`${API}${path}`)
      .set('Authorization', bearer(role))
      .set('Idempotency-Key', key)
      .send(body);

  it('records the answer last in the command’s own commit, keyed, naming its effects', async () => {
    const before = await api.headPosition();
    const body = rseBody();
    const answer = await post('/recipients', 'operator', body, 'key-commit');
    expect(answer.status).toBe(201);
    const written = await api.eventsAfter(before);
    expect(written.map((event) => event.type)).toEqual([
      'NikClaimed',
      'RecipientRegistered',
      'IdempotentRequestAnswered',
    ]);
    const record = written[2];
    expect(answer.body.position).toBe(record.position.toString());
    // Keyed hashes: neither the stream nor the fingerprint can be recomputed without the key.
    expect(record.streamName).toBe(
      `idempotency-${hasher.keyedHash('idempotency-key', `${ACTOR}\nkey-commit`)}`,
    );
    const data = record.data as { requestHash: string; effects: unknown[]; body: unknown };
    const requestText = `POST ${API}/recipients\n${canonicalJson(body)}`;
    expect(data.requestHash).toBe(hasher.keyedHash('idempotency-request', requestText));
    expect(data.body).toEqual({ recipientId: answer.body.recipientId });
    expect(data.effects).toEqual(
      written.slice(0, 2).map((event) => ({
        streamName: event.streamName,
        revision: event.revision.toString(),
      })),
    );
    for (const event of written) {
      expect(event.metadata.commandId).toBe(record.metadata.commandId);
      expect(event.metadata.causationId).toBe(record.streamName);
    }

    const replay = await post('/recipients', 'operator', body, 'key-commit');
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(answer.body);
    expect(await api.headPosition()).toBe(record.position);
  });

  it('replays an answer recorded by an earlier version, under its unkeyed stream name', async () => {
    const body = rseBody();
    const requestHash = sha256(`POST ${API}/recipients\n${canonicalJson(body)}`);
    const recorded = { recipientId: 'recorded-earlier', position: '7' };
    await api.eventStore.appendToStream(
      `idempotency-${sha256(`${ACTOR}\nkey-legacy`)}`,
      [
        {
          type: 'IdempotentRequestAnswered',
          data: { requestHash, statusCode: 201, body: recorded },
        },
      ],
      {
        expectedRevision: 'no_stream',
        context: { actor: ACTOR, correlationId: 'c', causationId: 'c', commandId: 'c' },
      },
    );
    const before = await api.headPosition();
    const replay = await post('/recipients', 'operator', body, 'key-legacy');
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(recorded);
    expect(await api.headPosition()).toBe(before);
    const other = await post('/recipients', 'operator', rseBody(), 'key-legacy');
    expect(other.status).toBe(422);
  });

  it('records the answer of a route that runs no command (a seal) after it, and replays it', async () => {
    const first = await post('/audit/seals', 'auditor', {}, 'key-seal');
    expect(first.status).toBe(201);
    const head = await api.headPosition();
    const repeat = await post('/audit/seals', 'auditor', {}, 'key-seal');
    expect(repeat.status).toBe(201);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.body).toEqual(first.body);
    expect(await api.headPosition()).toBe(head);
  });
});
