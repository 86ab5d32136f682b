import { rebuildReadModel } from '../helpers/read-model-comparison';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleLogger, Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { quotaProgressProjection } from '../../projections/quota-progress/quota-progress.projection';
import { recipientRegistryProjection } from '../../projections/recipient-registry/recipient-registry.projection';
import { LogSealer } from '../../src/audit/sealing/log-sealer';
import { verifyLog } from '../../src/audit/verify/verify-log';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';
import { MasterKey } from '../../src/platform/personal-data/master-key';
import { ERASED_TEXT } from '../../src/platform/personal-data/personal-data';
import { PersonalDataEventStore } from '../../src/platform/personal-data/personal-data-event-store';
import { SqliteDataKeyStore } from '../../src/platform/personal-data/sqlite-data-key-store';
import { collectionOf, type AnyProjection } from '../../src/platform/projection-engine/projection';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import { appendLedgerLog, appendQuotaDefinitions, recipientIdOf } from './ledger-log';

const registry = recipientRegistryProjection as unknown as AnyProjection;

/**
 * Verify over a log whose personal fields are encrypted per person: the chains and seals are
 * checked over the ciphertext the ledger holds, the read models against a replay of the events
 * decrypted, before and after a woman's key is destroyed; tampering with a ciphertext is named.
 */
describe('verify over encrypted personal data', () => {
  let dir: string;
  let ledgerFile: string;
  let keyStore: SqliteDataKeyStore;
  const masterKey = randomBytes(32);
  /** An RSE woman registered with a key, aided: the one erased. */
  let erased: { recipientId: string; dataKeyId: string; position: bigint };
  /** Another woman, left as she is. */
  let kept: { recipientId: string; position: bigint };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dir = mkdtempSync(join(tmpdir(), 'bansos-erased-ledger-'));
    ledgerFile = join(dir, 'events.sqlite');
    keyStore = new SqliteDataKeyStore({
      file: join(dir, 'personal-data-keys.sqlite'),
      masterKey: new MasterKey(masterKey),
    });
    const ledger = new SqliteEventStore({ file: ledgerFile });
    const events = new PersonalDataEventStore(ledger, keyStore);
    await appendQuotaDefinitions(events);
    await appendLedgerLog(events, { first: 0, count: 30, newKeyId: () => keyStore.newKeyId() });
    await new LogSealer(ledger).seal();
    const women = [];
    for (let n = 0; women.length < 2; n++) {
      const recipientId = recipientIdOf(n);
      const [registration] = await ledger.readStream(`recipient-${recipientId}`);
      const data = registration.data as { kind: string; dataKeyId: string };
      if (data.kind === 'RSE') {
        women.push({ recipientId, dataKeyId: data.dataKeyId, position: registration.position });
      }
    }
    [erased, kept] = women;
    await events.close();
  });

  afterAll(async () => {
    await keyStore.close();
    Logger.overrideLogger(new ConsoleLogger());
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * On a copy of the log: the registry rebuilt from scratch over the decrypted events, the copy
   * then changed as told, and verified with the data keys (and without, to compare).
   */
  async function verify(change?: (db: Database.Database) => void) {
    const file = join(dir, `case-${Math.random().toString(36).slice(2)}.sqlite`);
    copyFileSync(ledgerFile, file);
    const readStore = new SqliteReadStore({ file: ':memory:' });
    const clean = new SqliteEventStore({ file });
    await rebuildReadModel(new PersonalDataEventStore(clean, keyStore), readStore, registry);
    await clean.close();
    if (change) {
      const db = new Database(file);
      change(db);
      db.close();
    }
    const ledger = new SqliteEventStore({ file });
    try {
      const report = await verifyLog(ledger, readStore, [registry], { dataKeys: keyStore });
      const withoutKeys = await verifyLog(ledger, readStore, [registry]);
      const ids = [erased.recipientId, kept.recipientId];
      const stored = await readStore.getMany(`${collectionOf(registry)}-rebuilt`, ids);
      const nameOf = (id: string) => (stored.get(id)?.document as { name: string }).name;
      return { report, withoutKeys, nameOf };
    } finally {
      await ledger.close();
      await readStore.close();
    }
  }

  it('checks chains and seals over the ciphertext, and replays the read models decrypted', async () => {
    const raw = await readRegistration(ledgerFile, erased.recipientId);
    expect(raw.name).toMatch(/^pd1:/);
    expect(raw.phone).toMatch(/^pd1:/);

    const { report, withoutKeys, nameOf } = await verify();
    expect(report.chains).toMatchObject({ findings: [], seals: 1 });
    expect(report.links.findings).toEqual([]);
    expect(report.readModels[0]).toMatchObject({ documentsCompared: 30, differenceCount: 0 });
    expect(report.ok).toBe(true);
    expect(nameOf(erased.recipientId)).toMatch(/^Penerima \d+$/);
    // The same read model against a replay of the ciphertext: every name differs.
    expect(withoutKeys.readModels[0].differenceCount).toBeGreaterThanOrEqual(30);
  });

  describe('once a woman is erased', () => {
    beforeAll(async () => {
      const ledger = new SqliteEventStore({ file: ledgerFile });
      const events = new PersonalDataEventStore(ledger, keyStore);
      // As the erasure handler does: the event, then the key destroyed.
      await events.appendToStream(
        `recipient-${erased.recipientId}`,
        [
          {
            type: 'PersonalDataErased',
            data: {
              recipientId: erased.recipientId,
              dataKeyIds: [erased.dataKeyId],
              reason: 'retention period ended',
              reference: 'B-18/2026',
            },
          },
        ],
        {
          expectedRevision: 'any',
          context: { actor: 'admin', correlationId: 'e', causationId: 'e', commandId: 'e' },
        },
      );
      await keyStore.destroy([erased.dataKeyId]);
      await events.close();
    });

    it('still verifies: the ciphertext and the seal are unchanged, the replay reads her as erased', async () => {
      const { report, nameOf } = await verify();
      expect(report.chains).toMatchObject({ findings: [], seals: 1 });
      expect(report.readModels[0]).toMatchObject({ documentsCompared: 30, differenceCount: 0 });
      expect(report.ok).toBe(true);
      expect(nameOf(erased.recipientId)).toBe(ERASED_TEXT);
      expect(nameOf(kept.recipientId)).toMatch(/^Penerima \d+$/);
    });

    it('verifies the same with half the read models replayed in a worker thread, which opens the key store itself', async () => {
      const file = join(dir, 'worker-case.sqlite');
      copyFileSync(ledgerFile, file);
      const readFile = join(dir, 'worker-read-models.sqlite');
      const both = [quotaProgressProjection as unknown as AnyProjection, registry];
      const ledger = new SqliteEventStore({ file });
      const readStore = new SqliteReadStore({ file: readFile });
      try {
        for (const definition of both) {
          await rebuildReadModel(
            new PersonalDataEventStore(ledger, keyStore),
            readStore,
            definition,
          );
        }
        const stores = {
          eventStore: { kind: 'sqlite', file },
          readStore: { kind: 'sqlite', file: readFile },
          // Where the worker finds personal-data-keys.sqlite, and the key that unwraps its keys.
          dataDir: dir,
          personalDataKey: masterKey,
        } as const;
        const report = await verifyLog(ledger, readStore, both, { dataKeys: keyStore, stores });
        expect(report.chains).toMatchObject({ findings: [], seals: 1 });
        // The registry, second, was replayed in the worker: names decrypted there, hers erased.
        expect(report.readModels[1]).toMatchObject({
          projection: registry.name,
          documentsCompared: 30,
          differenceCount: 0,
        });
        expect(report.ok).toBe(true);
      } finally {
        await ledger.close();
        await readStore.close();
      }
    });

    it('names a ciphertext altered in the file, hers or another’s, and goes on', async () => {
      const flip = (recipientId: string) => (db: Database.Database) => {
        const row = db
          .prepare(
            `SELECT e.position, e.data FROM events e JOIN streams s ON s.id = e.stream_id
             WHERE s.name = ? AND e.type = 'RecipientRegistered'`,
          )
          .get(`recipient-${recipientId}`) as { position: number; data: string };
        const data = JSON.parse(row.data) as { name: string };
        // One base64url character of the ciphertext changed, the hash left as it was.
        const last = data.name.at(-2) === 'A' ? 'B' : 'A';
        data.name = `${data.name.slice(0, -2)}${last}${data.name.at(-1)}`;
        db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
          JSON.stringify(data),
          row.position,
        );
      };
      for (const [recipient, position] of [
        [erased.recipientId, erased.position],
        [kept.recipientId, kept.position],
      ] as const) {
        const { report } = await verify(flip(recipient));
        expect(report.ok).toBe(false);
        expect(report.chains.findings).toEqual([
          expect.objectContaining({ kind: 'altered', position: position.toString() }),
        ]);
      }
    });
  });
});

/** A registration's data as the ledger file holds it. */
async function readRegistration(
  file: string,
  recipientId: string,
): Promise<Record<string, string>> {
  const ledger = new SqliteEventStore({ file });
  try {
    const [registration] = await ledger.readStream(`recipient-${recipientId}`);
    return registration.data as Record<string, string>;
  } finally {
    await ledger.close();
  }
}
