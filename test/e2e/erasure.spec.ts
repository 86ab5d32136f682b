import { randomUUID } from 'node:crypto';
import { streams } from '../../src/domain/streams';
import { LEDGER_EVENT_STORE } from '../../src/platform/event-store/create-event-store';
import {
  NO_STREAM,
  type EventStore,
  type StoredEvent,
} from '../../src/platform/event-store/event-store.port';
import {
  DATA_KEY_STORE,
  ERASED_TEXT,
  type DataKeyStore,
} from '../../src/platform/personal-data/personal-data';
import {
  API,
  bearer,
  disburse,
  erasePersonalData,
  erasureBody,
  kubeBody,
  monitoringBody,
  nextNik,
  read,
  recordFollowUp,
  register,
  reverseDisbursement,
  rseBody,
  startApi,
  type Api,
  type TokenName,
} from '../helpers/api-client';
import {
  erasure,
  expectRefusal,
  followUp,
  send,
  writesNothing,
  type Arranged,
  type RefusalCase,
  type Setup,
  type WriteRequest,
} from '../helpers/write-scenarios';

/**
 * Erasure of personal data (crypto-shredding), through the HTTP API: admin only, a legal reason
 * and its reference; the woman, a whole KUBe or one member; figures kept, personal fields read
 * `[dihapus]` everywhere; retrying repairs an erasure cut short; commands that would record the
 * erased data are refused with 409 PERSONAL_DATA_ERASED; an older log's recipient is refused
 * with 409 PERSONAL_DATA_NOT_ENCRYPTED.
 */

const WOMAN = {
  name: 'Nurhayati Binti Sulaiman',
  phone: '0812-5432-1987',
  address: 'Jl. Pangeran Antasari No. 7, Samarinda',
};
const NOTES = 'Bu Nurhayati membuka cabang di Pasar Segiri';

/** A POST under /recipients/{id}, as the operator unless `role` says otherwise. */
const toRecipient = (
  recipientId: string,
  action: 'detail-corrections' | 'nik-corrections' | 'member-replacements' | 'moves',
  body: object,
  role: TokenName = 'operator',
): WriteRequest => ({ method: 'POST', path: `/recipients/${recipientId}/${action}`, role, body });

/** The events of one recipient's stream as the application reads them (decrypted). */
async function streamEvents(api: Api, recipientId: string): Promise<StoredEvent[]> {
  return api.eventStore.readStream(streams.recipient(recipientId));
}

const dataOf = (event: StoredEvent | undefined) => event?.data as Record<string, unknown>;

describe('POST /recipients/{id}/erasure', () => {
  let api: Api;
  let ledger: EventStore;
  let keyStore: DataKeyStore;

  beforeAll(async () => {
    api = await startApi();
    ledger = api.app.get<EventStore>(LEDGER_EVENT_STORE);
    keyStore = api.app.get<DataKeyStore>(DATA_KEY_STORE);
  });

  afterAll(async () => {
    await api.stop();
  });

  /** Registered with name, phone and address, aided, and visited with notes naming her. */
  const aidedWoman: Setup = async (api) => {
    const recipientId = await register(api, rseBody({ ...WOMAN, nik: nextNik('female') }));
    const disbursementId = await disburse(api, recipientId);
    await recordFollowUp(api, recipientId, 'monitoring', monitoringBody({ notes: NOTES }));
    return { recipientId, disbursementId };
  };

  /** The same woman, her personal data then erased. */
  const erasedWoman: Setup = async (api) => {
    const ids = await aidedWoman(api);
    await erasePersonalData(api, ids.recipientId);
    return ids;
  };

  describe('who may erase, and what the request must say', () => {
    it.each<TokenName>(['operator', 'monitor', 'auditor', 'viewer'])(
      'refuses the %s (403): erasure is the admin’s alone',
      async (role) => {
        await expectRefusal(api, {
          given: aidedWoman,
          when: ({ recipientId }) => erasure(recipientId, erasureBody(), role),
          status: 403,
          code: 'FORBIDDEN',
        });
      },
    );

    it('refuses a request without a token (401)', async () => {
      const recipientId = await register(api, rseBody());
      const response = await writesNothing(api, () =>
        api.http.post(`${API}/recipients/${recipientId}/erasure`).send(erasureBody()),
      );
      expect(response.status).toBe(401);
    });

    const invalidCases: RefusalCase[] = [
      ['no reason', { reference: 'Surat 1' }, 'reason'],
      ['a blank reference', { reason: 'Permintaan subjek data', reference: '   ' }, 'reference'],
      ['a reference over 100 characters', erasureBody({ reference: 'R'.repeat(101) }), 'reference'],
      ['a member NIK that is no NIK', erasureBody({ memberNik: '1234' }), 'memberNik'],
    ].map(([name, body, field]) => ({
      name: `refuses ${name as string} (400, naming ${field as string})`,
      given: aidedWoman,
      when: ({ recipientId }: Arranged) => erasure(recipientId, body as object),
      status: 400,
      code: 'INVALID_INPUT',
      brokenFields: [field as string],
    }));

    it.each(invalidCases)('$name', async (refusal) => {
      await expectRefusal(api, refusal);
    });

    it('refuses an unknown recipient (404)', async () => {
      await expectRefusal(api, {
        when: ({ recipientId }) => erasure(recipientId),
        status: 404,
        code: 'RECIPIENT_NOT_FOUND',
      });
    });
  });

  describe('an RSE woman', () => {
    it('destroys her key: her name, phone, address and notes read [dihapus], her aid stays', async () => {
      const { recipientId } = await aidedWoman(api);
      const before = await streamEvents(api, recipientId);
      expect(dataOf(before[0])).toMatchObject(WOMAN);

      const answer = await erasePersonalData(api, recipientId);
      expect(answer).toEqual({ dataKeysDestroyed: 1, position: expect.stringMatching(/^\d+$/) });

      const after = await streamEvents(api, recipientId);
      const [registered, disbursed, monitored, erased] = after;
      expect(dataOf(registered)).toMatchObject({
        name: ERASED_TEXT,
        phone: ERASED_TEXT,
        address: ERASED_TEXT,
        businessType: 'Warung makan',
      });
      expect(dataOf(disbursed)).toMatchObject({ valueRupiah: 5_000_000, regencyCode: '64.72' });
      expect(dataOf(monitored)).toMatchObject({
        notes: ERASED_TEXT,
        monthlyTurnoverRupiah: 2_500_000,
      });
      expect(erased.type).toBe('PersonalDataErased');
      expect(dataOf(erased)).toEqual({
        recipientId,
        dataKeyIds: [dataOf(registered).dataKeyId],
        ...erasureBody(),
      });
      // The ledger holds ciphertext only, before and after: its hashes never change.
      const stored = await ledger.readStream(streams.recipient(recipientId));
      expect(String(dataOf(stored[0]).name)).toMatch(/^pd1:/);
      expect(stored.map((event) => event.metadata.hash)).toEqual([
        ...before.map((event) => event.metadata.hash),
        erased.metadata.hash,
      ]);
      const text = JSON.stringify(after.map((event) => event.data));
      for (const value of [...Object.values(WOMAN), NOTES]) expect(text).not.toContain(value);
    });

    it('shows her as [dihapus] in the read API', async () => {
      const { recipientId } = await aidedWoman(api);
      const { position } = await erasePersonalData(api, recipientId);
      const response = await read(
        api,
        `/recipients/${recipientId}?minPosition=${position}`,
        'operator',
      );
      expect(response.status).toBe(200);
      const text = JSON.stringify(response.body);
      expect(text).toContain(ERASED_TEXT);
      for (const value of Object.values(WOMAN)) expect(text).not.toContain(value);
    });

    it('refuses a member NIK for her (409 NOT_A_KUBE)', async () => {
      await expectRefusal(api, {
        given: aidedWoman,
        when: ({ recipientId }) => erasure(recipientId, erasureBody({ memberNik: nextNik() })),
        status: 409,
        code: 'NOT_A_KUBE',
        field: 'memberNik',
      });
    });
  });

  describe('a KUBe', () => {
    it('destroys the group’s key and every member’s, a former member’s too', async () => {
      const group = kubeBody({ groupName: 'KUBE Anggrek Hitam' });
      const recipientId = await register(api, group);
      const newcomer = { nik: nextNik('female'), name: 'Maria Ulfah' };
      const replaced = await send(
        api,
        toRecipient(recipientId, 'member-replacements', {
          departure: 'LEFT',
          effectiveOn: '2025-09-01',
          reason: 'Pindah ke luar daerah',
          leavingNik: group.members[3].nik,
          newMember: newcomer,
        }),
      );
      expect(replaced.status).toBe(200);

      expect(await erasePersonalData(api, recipientId)).toMatchObject({ dataKeysDestroyed: 7 });
      const text = JSON.stringify(
        (await streamEvents(api, recipientId)).map((event) => event.data),
      );
      for (const name of [group.groupName, newcomer.name, ...group.members.map((m) => m.name)]) {
        expect(text).not.toContain(name);
      }
    });

    it('erases one member by her NIK, and no one else', async () => {
      const group = kubeBody({ groupName: 'KUBE Teratai Putih' });
      group.members[2] = { ...group.members[2], name: 'Dayang Kartini' };
      const recipientId = await register(api, group);
      const answer = await erasePersonalData(
        api,
        recipientId,
        erasureBody({ memberNik: group.members[2].nik }),
      );
      expect(answer).toMatchObject({ dataKeysDestroyed: 1 });
      const [registered] = await streamEvents(api, recipientId);
      const data = dataOf(registered) as { groupName: string; members: { name: string }[] };
      expect(data.groupName).toBe('KUBE Teratai Putih');
      expect(data.members.map((member) => member.name)).toEqual(
        group.members.map((member, index) => (index === 2 ? ERASED_TEXT : member.name)),
      );
    });

    it('refuses a NIK of no member (409 NOT_A_MEMBER)', async () => {
      await expectRefusal(api, {
        given: async (api) => ({
          recipientId: await register(api, kubeBody()),
          disbursementId: '',
        }),
        when: ({ recipientId }) => erasure(recipientId, erasureBody({ memberNik: nextNik() })),
        status: 409,
        code: 'NOT_A_MEMBER',
        field: 'memberNik',
      });
    });

    it('replaces an erased member, and refuses a correction of her name', async () => {
      const group = kubeBody();
      const recipientId = await register(api, group);
      const leaving = group.members[1];
      await erasePersonalData(api, recipientId, erasureBody({ memberNik: leaving.nik }));
      await expectRefusal(api, {
        given: async () => ({ recipientId, disbursementId: '' }),
        when: () =>
          toRecipient(recipientId, 'detail-corrections', {
            reason: 'Salah ketik',
            members: [{ nik: leaving.nik, name: 'Nama Baru' }],
          }),
        status: 409,
        code: 'PERSONAL_DATA_ERASED',
        field: 'members.0.name',
      });
      const response = await send(
        api,
        toRecipient(recipientId, 'member-replacements', {
          departure: 'DIED',
          effectiveOn: '2025-09-01',
          reason: 'Meninggal dunia',
          leavingNik: leaving.nik,
          newMember: { nik: nextNik('female'), name: 'Maria Ulfah' },
        }),
      );
      expect(response.status).toBe(200);
    });
  });

  describe('a retry', () => {
    it('answers the same figures, writes nothing more, and destroys again', async () => {
      const { recipientId } = await aidedWoman(api);
      const first = await erasePersonalData(api, recipientId);
      const destroy = jest.spyOn(keyStore, 'destroy');
      try {
        const again = await writesNothing(api, () => send(api, erasure(recipientId)));
        expect(again.status).toBe(200);
        expect(again.body).toEqual({ dataKeysDestroyed: first.dataKeysDestroyed, position: '0' });
        expect(destroy).toHaveBeenCalledTimes(1);
      } finally {
        destroy.mockRestore();
      }
    });

    it('repairs an erasure cut short between its event and the keys’ destruction, same key', async () => {
      const { recipientId } = await aidedWoman(api);
      const keyed = { ...erasure(recipientId), headers: { 'Idempotency-Key': randomUUID() } };
      const destroy = jest
        .spyOn(keyStore, 'destroy')
        .mockRejectedValueOnce(new Error('disk unplugged'));
      try {
        expect((await send(api, keyed)).status).toBe(500);
      } finally {
        destroy.mockRestore();
      }
      // The event is in the log, the key still exists: her name still reads.
      const cutShort = await streamEvents(api, recipientId);
      expect(cutShort.map((event) => event.type)).toContain('PersonalDataErased');
      expect(dataOf(cutShort[0]).name).toBe(WOMAN.name);

      const retried = await send(api, keyed);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ dataKeysDestroyed: 1 });
      expect(dataOf((await streamEvents(api, recipientId))[0]).name).toBe(ERASED_TEXT);

      const replayed = await send(api, keyed);
      expect(replayed.status).toBe(200);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.body).toEqual(retried.body);
    });
  });

  describe('after an erasure', () => {
    const refusals: RefusalCase[] = (
      [
        {
          name: 'a correction of her name',
          when: ({ recipientId }) =>
            toRecipient(recipientId, 'detail-corrections', { reason: 'Salah ketik', name: 'Siti' }),
          field: 'name',
        },
        {
          name: 'a correction of her address',
          when: ({ recipientId }) =>
            toRecipient(recipientId, 'detail-corrections', {
              reason: 'Salah ketik',
              address: 'Jl. Baru 1',
            }),
          field: 'address',
        },
        {
          name: 'a correction of her NIK',
          when: ({ recipientId }) =>
            toRecipient(recipientId, 'nik-corrections', {
              reason: 'NIK sesuai KTP',
              newNik: nextNik('female'),
            }),
          field: 'newNik',
        },
        {
          name: 'monitoring notes about her',
          when: ({ recipientId }) =>
            followUp(recipientId, 'monitoring', monitoringBody({ notes: 'Catatan baru' })),
          field: 'notes',
        },
      ] satisfies Pick<RefusalCase, 'name' | 'when' | 'field'>[]
    ).map((refusal) => ({
      ...refusal,
      name: `refuses ${refusal.name} (409 PERSONAL_DATA_ERASED)`,
      given: erasedWoman,
      status: 409,
      code: 'PERSONAL_DATA_ERASED',
    }));

    it.each(refusals)('$name', async (refusal) => {
      const response = await expectRefusal(api, refusal);
      expect(response.body).toMatchObject({ field: refusal.field });
    });

    it('says so in Indonesian too', async () => {
      const { recipientId } = await erasedWoman(api);
      const response = await api.http
        .post(`${API}/recipients/${recipientId}/detail-corrections`)
        .set('Authorization', bearer('operator'))
        .set('Accept-Language', 'id')
        .send({ reason: 'Salah ketik', name: 'Siti' });
      expect(response.status).toBe(409);
      expect(response.body.message).toMatch(/telah dihapus/);
    });

    it('goes on with what needs no personal data: business type, follow-up, reversal, aid, a move', async () => {
      const { recipientId, disbursementId } = await erasedWoman(api);
      const businessType = await send(
        api,
        toRecipient(recipientId, 'detail-corrections', {
          reason: 'Usaha berganti',
          businessType: 'Katering',
        }),
      );
      expect(businessType.status).toBe(200);
      await recordFollowUp(
        api,
        recipientId,
        'monitoring',
        monitoringBody({ visitDate: '2025-09-10' }),
      );
      await recordFollowUp(api, recipientId, 'mentoring', {
        partner: 'Disperindagkop Kaltim',
        topic: 'Pembukuan',
        date: '2025-09-11',
      });
      await reverseDisbursement(api, disbursementId, 'Data ganda');
      await disburse(api, recipientId);
      const moved = await send(
        api,
        toRecipient(recipientId, 'moves', {
          toRegencyCode: '64.71',
          movedOn: '2025-09-12',
          reason: 'Ikut suami',
        }),
      );
      expect(moved.status).toBe(200);
    });
  });

  describe('a recipient registered before personal data was encrypted', () => {
    it('is refused (409 PERSONAL_DATA_NOT_ENCRYPTED), pointing to the migration', async () => {
      const recipientId = randomUUID();
      // As an older log holds her: written straight to the ledger, in clear, with no data key.
      await ledger.appendToStream(
        streams.recipient(recipientId),
        [
          {
            type: 'RecipientRegistered',
            data: {
              recipientId,
              kind: 'RSE',
              regencyCode: '64.72',
              name: 'Siti Lama',
              businessType: 'Warung',
              nikHash: `legacy-${recipientId}`,
              nikMasked: '6472********0099',
            },
          },
        ],
        {
          expectedRevision: NO_STREAM,
          context: {
            actor: 'older-release',
            correlationId: randomUUID(),
            causationId: randomUUID(),
            commandId: randomUUID(),
          },
        },
      );
      const response = await expectRefusal(api, {
        given: async () => ({ recipientId, disbursementId: '' }),
        when: () => erasure(recipientId),
        status: 409,
        code: 'PERSONAL_DATA_NOT_ENCRYPTED',
      });
      expect(response.body.message).toContain('docs/privacy.md');
    });
  });
});
