import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../../projections/audit-trail/audit-trail.projection';
import type { MonitoringOutcomes } from '../../projections/monitoring-outcomes/monitoring-outcomes.queries';
import type { QuotaProgressReport } from '../../projections/quota-progress/quota-progress.queries';
import type { RecipientDocument } from '../../projections/recipient-registry/recipient-registry.projection';
import type { Page } from '../../src/read/page';
import { witaTimestamp } from '../../src/read/wita-time';
import { FixedClock } from '../../src/platform/clock';
import { REGENCIES } from '../../src/domain/programme/regencies';
import type { StoredEvent } from '../../src/platform/event-store/event-store.port';
import {
  allocate,
  API,
  bearer,
  disburseAid,
  disbursementBody,
  errorBody,
  itemsWorth,
  kubeBody,
  maskNik,
  monitoringBody,
  nextNik,
  read,
  recordFollowUp,
  registerRecipient,
  rseBody,
  startApi,
  type Api,
  type KubeBody,
  type MonitoringBody,
  type RseBody,
  type TokenName,
} from '../helpers/api-client';

/**
 * One programme history, written over HTTP with the clock moved between three days, then read
 * back through every read endpoint at the position of the last command:
 *
 * - 10 Sep 2025: the default programme (36 events by `system`).
 * - 12 Sep: seven recipients registered (one second apart) and six of them aided: each command is
 *   one append (a registration its NIK claims and RecipientRegistered, a disbursement AidDisbursed
 *   and its QuotaSlotTaken).
 * - 13 Sep: ten follow-ups (monitoring, mentoring, exhibitions).
 * - 14 Sep, 02:00:30 UTC: one reversal and two allocation changes.
 */
const PROGRAMME_DEFINED = new Date('2025-09-10T02:00:00.000Z');
const REGISTRATION_DAY = new Date('2025-09-12T01:00:00.000Z');
const FOLLOW_UP_DAY = new Date('2025-09-13T01:00:00.000Z');
const LAST_DAY = new Date('2025-09-14T02:00:30.000Z');

const REVERSAL_REQUEST_ID = 'e2e-read-api-reversal-0001';
const REVERSAL_REASON = 'Penerima pindah ke luar provinsi';

/** R1's visit of 10 Sep: the latest of her three, so the one her document shows. */
const R1_LATEST_VISIT: MonitoringBody = {
  visitDate: '2025-09-10',
  businessStatus: 'STABLE',
  monthlyTurnoverRupiah: 3_200_000,
  workers: 3,
  workersFromPoorHouseholds: 2,
  challenges: ['LIMITED_RESOURCES', 'MOTIVATION'],
};

/** A business closed at its visit: no turnover, nobody working. */
const CLOSED = {
  businessStatus: 'CLOSED',
  monthlyTurnoverRupiah: 0,
  workers: 0,
  workersFromPoorHouseholds: 0,
} as const;

interface Figures {
  allocated: number | null;
  disbursed: number;
  reversed: number;
  valueDisbursedRupiah: number;
  remaining: number | null;
}

const figures = (
  allocated: number | null,
  disbursed: number,
  reversed: number,
  valueDisbursedRupiah: number,
  remaining: number | null,
): Figures => ({ allocated, disbursed, reversed, valueDisbursedRupiah, remaining });

/** Nothing aided: what remains is the allocation itself. */
const untouched = (allocated: number | null): Figures => figures(allocated, 0, 0, 0, allocated);

/** The ten regencies/cities in reference order, each with `base` unless listed in `changed`. */
function regencies(base: Figures, changed: Record<string, Figures> = {}) {
  return REGENCIES.map(({ code, name }) => ({ code, name, ...(changed[code] ?? base) }));
}

type Recipients = Page<RecipientDocument>;
type AuditPage = Page<AuditEntry>;

/**
 * The recipient an event concerns: named in its data, or by the disbursement id it carries
 * (`<recipientId>.<n>`, all a quota slot's release names); null otherwise.
 */
function recipientOf(event: StoredEvent): string | null {
  const data = event.data as { recipientId?: string; disbursementId?: string };
  if (data.recipientId !== undefined) return data.recipientId;
  if (data.disbursementId !== undefined) return data.disbursementId.replace(/\.\d+$/, '');
  return null;
}

describe('read API (/api/v1)', () => {
  const clock = new FixedClock(PROGRAMME_DEFINED);
  let api: Api;
  /** The position the last command answered: every read below waits for it. */
  let last: string;
  let events: StoredEvent[];

  const r1: RseBody = rseBody({
    name: 'Nurul Hidayah',
    nik: nextNik('female', '64.72'),
    regencyCode: '64.72',
    phone: '0813-4777-2211',
    address: 'Jl. Pahlawan No. 3, Samarinda',
  });
  const r2 = rseBody({ name: 'Wahyuni Lestari', nik: nextNik('female', '64.72') });
  const r3 = rseBody({
    name: 'Fitriani Rahayu',
    nik: nextNik('female', '64.01'),
    regencyCode: '64.01',
  });
  const r4 = rseBody({
    name: 'Suryani Halim',
    nik: nextNik('female', '64.01'),
    regencyCode: '64.01',
  });
  const r5 = rseBody({
    name: 'Masitah Anwar',
    nik: nextNik('female', '64.74'),
    regencyCode: '64.74',
  });
  const k1: KubeBody = kubeBody({ regencyCode: '64.07', groupName: 'KUBE Enggang Lestari' });
  const k2: KubeBody = kubeBody({ regencyCode: '64.02', groupName: 'KUBE Pesut Mahakam' });
  const bodies = [r1, r2, r3, r4, r5, k1, k2];
  const rawNiks = [r1, r2, r3, r4, r5].map((body) => body.nik);
  rawNiks.push(...[k1, k2].flatMap((body) => body.members.map((member) => member.nik)));

  /** Recipient ids in order of registration: R1…R5 (RSE women), K1, K2 (KUBe). */
  const id = { r1: '', r2: '', r3: '', r4: '', r5: '', k1: '', k2: '' };

  /** Moves the clock on by one second. */
  const tick = () => clock.set(new Date(clock.now().getTime() + 1000));

  /** `path` read as `role` once the last command is visible. */
  const get = (path: string, role: TokenName = 'viewer') =>
    read(api, `${path}${path.includes('?') ? '&' : '?'}minPosition=${last}`, role);

  async function getOk<T>(path: string, role: TokenName = 'viewer'): Promise<T> {
    const response = await get(path, role);
    expect({ path, status: response.status, body: response.body as unknown }).toMatchObject({
      status: 200,
    });
    return response.body as T;
  }

  beforeAll(async () => {
    api = await startApi({ clock });

    clock.set(REGISTRATION_DAY);
    const keys = Object.keys(id) as (keyof typeof id)[];
    for (const [index, body] of bodies.entries()) {
      id[keys[index]] = (await registerRecipient(api, body)).recipientId;
      tick();
    }
    await disburseAid(api, id.r1, disbursementBody());
    tick();
    await disburseAid(
      api,
      id.r2,
      disbursementBody({
        year: 2024,
        form: 'MATERIALS',
        items: itemsWorth(4_000_000),
        disbursedOn: '2024-07-01',
      }),
    );
    tick();
    await disburseAid(api, id.r3, disbursementBody({ disbursedOn: '2025-07-20' }));
    tick();
    await disburseAid(
      api,
      id.r5,
      disbursementBody({
        form: 'MATERIALS',
        items: itemsWorth(3_500_000),
        disbursedOn: '2025-06-01',
      }),
    );
    tick();
    await disburseAid(
      api,
      id.k1,
      disbursementBody({
        form: 'MATERIALS',
        items: itemsWorth(20_000_000),
        disbursedOn: '2025-07-15',
      }),
    );
    tick();
    await disburseAid(
      api,
      id.k2,
      disbursementBody({ year: 2024, items: itemsWorth(18_500_000), disbursedOn: '2024-06-10' }),
    );

    clock.set(FOLLOW_UP_DAY);
    const monitored = (recipientId: string, visit: Partial<MonitoringBody>) => () =>
      recordFollowUp(api, recipientId, 'monitoring', monitoringBody(visit));
    const followUps: (() => Promise<string>)[] = [
      monitored(id.r1, { visitDate: '2025-09-01' }),
      monitored(id.r1, R1_LATEST_VISIT),
      // An older visit recorded late: it must not replace the latest one.
      monitored(id.r1, {
        visitDate: '2025-08-20',
        businessStatus: 'STRUGGLING',
        workers: 5,
        workersFromPoorHouseholds: 5,
        challenges: ['OTHER'],
      }),
      () =>
        recordFollowUp(api, id.r1, 'mentoring', {
          partner: 'Disperindagkop Kaltim',
          topic: 'Pembukuan',
          date: '2025-09-02',
        }),
      () =>
        recordFollowUp(api, id.r1, 'exhibitions', {
          name: 'Pameran UMKM Samarinda',
          date: '2025-09-03',
        }),
      () =>
        recordFollowUp(api, id.r1, 'exhibitions', {
          name: 'Pameran Pesona Kaltim',
          date: '2025-09-11',
        }),
      monitored(id.r3, { visitDate: '2025-08-15', ...CLOSED, challenges: ['LIMITED_RESOURCES'] }),
      monitored(id.r5, { visitDate: '2025-09-02', ...CLOSED, challenges: ['MOTIVATION'] }),
      monitored(id.k1, {
        visitDate: '2025-09-05',
        monthlyTurnoverRupiah: 12_000_000,
        workers: 4,
        workersFromPoorHouseholds: 4,
        challenges: ['MARKET_COMPETITION', 'OTHER'],
      }),
      monitored(id.k2, {
        visitDate: '2024-12-01',
        businessStatus: 'STRUGGLING',
        monthlyTurnoverRupiah: 1_500_000,
        workers: 1,
        workersFromPoorHouseholds: 0,
        challenges: ['LIMITED_RESOURCES'],
      }),
    ];
    for (const followUp of followUps) {
      await followUp();
      tick();
    }

    clock.set(LAST_DAY);
    const reversal = await api.http
      .post(`${API}/disbursements/${id.r3}.1/reversal`)
      .set('Authorization', bearer('operator'))
      .set('X-Request-Id', REVERSAL_REQUEST_ID)
      .send({ reason: REVERSAL_REASON });
    expect(reversal.status).toBe(200);
    await allocate(api, 2025, 'KUBE', '64.07', 15);
    last = await allocate(api, 2025, 'RSE', '64.74', 10);
    events = await api.eventsAfter(0n);
  });

  afterAll(() => api.stop());

  it('wrote the history it reads back: 84 events, the last at the last position answered', () => {
    // 12 Sep: 5 RSE × (claim + registration) + 2 KUBe × (5 claims + registration) + 6 × 2.
    expect(events).toHaveLength(36 + 34 + 10 + 4);
    expect(events[events.length - 1].position.toString()).toBe(last);
  });

  describe('GET /quota-progress', () => {
    /** One kind's line: its target, its totals, and its regencies (`base` unless `changed`). */
    const line = (
      kind: 'RSE' | 'KUBE',
      target: number,
      totals: Figures,
      base: Figures,
      changed?: Record<string, Figures>,
    ) => ({ kind, target, ...totals, regencies: regencies(base, changed) });

    it.each([
      {
        name: 'per year: 2025, net of the reversal, with the changed allocations',
        year: 2025,
        rse: line('RSE', 500, figures(10, 2, 1, 8_500_000, 498), untouched(null), {
          '64.01': figures(null, 0, 1, 0, null),
          '64.72': figures(null, 1, 0, 5_000_000, null),
          '64.74': figures(10, 1, 0, 3_500_000, 9),
        }),
        kube: line('KUBE', 200, figures(195, 1, 0, 20_000_000, 199), untouched(20), {
          '64.07': figures(15, 1, 0, 20_000_000, 14),
        }),
      },
      {
        name: 'per year: 2024, only the aid of that year',
        year: 2024,
        rse: line('RSE', 500, figures(0, 1, 0, 4_000_000, 499), untouched(null), {
          '64.72': figures(null, 1, 0, 4_000_000, null),
        }),
        kube: line('KUBE', 200, figures(200, 1, 0, 18_500_000, 199), untouched(20), {
          '64.02': figures(20, 1, 0, 18_500_000, 19),
        }),
      },
      {
        name: 'per year: 2026, nothing aided: all that is allocated remains',
        year: 2026,
        rse: line('RSE', 500, figures(0, 0, 0, 0, 500), untouched(null)),
        kube: line('KUBE', 200, untouched(200), untouched(20)),
      },
      {
        name: 'all years (2024–2026) added up when no year is given',
        year: null,
        rse: line('RSE', 1500, figures(10, 3, 1, 12_500_000, 1497), untouched(null), {
          '64.01': figures(null, 0, 1, 0, null),
          '64.72': figures(null, 2, 0, 9_000_000, null),
          '64.74': figures(10, 1, 0, 3_500_000, 9),
        }),
        kube: line('KUBE', 600, figures(595, 2, 0, 38_500_000, 598), untouched(60), {
          '64.02': figures(60, 1, 0, 18_500_000, 59),
          '64.07': figures(55, 1, 0, 20_000_000, 54),
        }),
      },
    ])('$name', async ({ year, rse, kube }) => {
      const query = year === null ? '' : `?year=${year}`;
      const report = await getOk<QuotaProgressReport>(`/quota-progress${query}`);
      expect(report).toEqual({ year, kinds: [rse, kube] });
    });

    it('names regencies by their Kemendagri code and name', async () => {
      const report = await getOk<QuotaProgressReport>('/quota-progress?year=2025');
      const kube = report.kinds.find((kind) => kind.kind === 'KUBE');
      expect(kube?.regencies.map(({ code, name }) => `${code} ${name}`)).toEqual([
        '64.01 Kabupaten Paser',
        '64.02 Kabupaten Kutai Kartanegara',
        '64.03 Kabupaten Berau',
        '64.07 Kabupaten Kutai Barat',
        '64.08 Kabupaten Kutai Timur',
        '64.09 Kabupaten Penajam Paser Utara',
        '64.11 Kabupaten Mahakam Ulu',
        '64.71 Kota Balikpapan',
        '64.72 Kota Samarinda',
        '64.74 Kota Bontang',
      ]);
    });
  });

  describe('GET /recipients', () => {
    const ids = (page: Recipients) => page.items.map((item) => item.recipientId);

    it('lists every recipient in order of registration, 50 to a page by default', async () => {
      const page = await getOk<Recipients>('/recipients', 'auditor');
      expect({ ...page, items: ids(page) }).toEqual({
        items: [id.r1, id.r2, id.r3, id.r4, id.r5, id.k1, id.k2],
        total: 7,
        limit: 50,
        offset: 0,
      });
      // After the 36 events of the programme: an RSE registration is a NIK claim and the
      // registration, a KUBe's five claims and the registration.
      expect(page.items.map((item) => item.registeredPosition)).toEqual([
        38, 40, 42, 44, 46, 52, 58,
      ]);
      expect(page.items.map((item) => item.registeredPosition)).toEqual(
        events
          .filter((event) => event.type === 'RecipientRegistered')
          .map((event) => Number(event.position)),
      );
    });

    it.each([
      ['regencyCode=64.72', ['r1', 'r2']],
      ['regencyCode=64.01', ['r3', 'r4']],
      ['regencyCode=64.11', []],
      ['kind=KUBE', ['k1', 'k2']],
      ['kind=RSE', ['r1', 'r2', 'r3', 'r4', 'r5']],
      ['status=aided', ['r1', 'r2', 'r5', 'k1', 'k2']],
      ['status=reversed', ['r3']],
      ['status=registered', ['r4']],
      ['kind=RSE&status=aided&regencyCode=64.72', ['r1', 'r2']],
      ['kind=KUBE&regencyCode=64.72', []],
    ] as const)('filters by %s', async (query, expected) => {
      const page = await getOk<Recipients>(`/recipients?${query}`, 'auditor');
      expect({ ids: ids(page), total: page.total }).toEqual({
        ids: expected.map((key) => id[key]),
        total: expected.length,
      });
    });

    it('pages with limit and offset, total counting every match', async () => {
      const pages = await Promise.all(
        [0, 3, 6, 7].map((offset) =>
          getOk<Recipients>(`/recipients?limit=3&offset=${offset}`, 'auditor'),
        ),
      );
      expect(pages.map((page) => ({ ...page, items: ids(page) }))).toEqual([
        { items: [id.r1, id.r2, id.r3], total: 7, limit: 3, offset: 0 },
        { items: [id.r4, id.r5, id.k1], total: 7, limit: 3, offset: 3 },
        { items: [id.k2], total: 7, limit: 3, offset: 6 },
        { items: [], total: 7, limit: 3, offset: 7 },
      ]);
      const filtered = await getOk<Recipients>('/recipients?kind=RSE&limit=2&offset=1', 'auditor');
      expect({ ...filtered, items: ids(filtered) }).toEqual({
        items: [id.r2, id.r3],
        total: 5,
        limit: 2,
        offset: 1,
      });
    });

    it('GET /recipients/{id}: an RSE woman aided, monitored, mentored, at exhibitions', async () => {
      expect(await getOk<RecipientDocument>(`/recipients/${id.r1}`, 'auditor')).toEqual({
        recipientId: id.r1,
        kind: 'RSE',
        regencyCode: '64.72',
        regencyName: 'Kota Samarinda',
        name: 'Nurul Hidayah',
        businessType: 'Warung makan',
        movedFrom: null,
        maskedNiks: [maskNik(r1.nik)],
        members: null,
        formerMembers: [],
        standing: 'active',
        standingOn: null,
        status: 'aided',
        registeredAt: REGISTRATION_DAY.toISOString(),
        registeredPosition: 38,
        disbursement: {
          disbursementId: `${id.r1}.1`,
          year: 2025,
          form: 'EQUIPMENT',
          valueRupiah: 5_000_000,
          disbursedOn: '2025-08-01',
          reversedOn: null,
          reversalReason: null,
        },
        latestMonitoring: R1_LATEST_VISIT,
        mentoringCount: 1,
        exhibitionCount: 2,
      });
    });

    it('GET /recipients/{id}: a reversed disbursement keeps its record, with date and reason', async () => {
      const document = await getOk<RecipientDocument>(`/recipients/${id.r3}`, 'auditor');
      expect(document).toMatchObject({
        status: 'reversed',
        disbursement: {
          disbursementId: `${id.r3}.1`,
          valueRupiah: 5_000_000,
          disbursedOn: '2025-07-20',
          reversedOn: '2025-09-14',
          reversalReason: REVERSAL_REASON,
        },
      });
    });

    it('GET /recipients/{id}: a KUBe with its five members, NIKs masked', async () => {
      const document = await getOk<RecipientDocument>(`/recipients/${id.k1}`, 'auditor');
      const masked = k1.members.map((member) => maskNik(member.nik));
      expect(document).toMatchObject({
        recipientId: id.k1,
        kind: 'KUBE',
        regencyCode: '64.07',
        regencyName: 'Kabupaten Kutai Barat',
        name: 'KUBE Enggang Lestari',
        maskedNiks: masked,
        members: k1.members.map(({ name, role, nik }) => ({ name, role, nikMasked: maskNik(nik) })),
        status: 'aided',
        registeredAt: '2025-09-12T01:00:05.000Z',
        registeredPosition: 52,
        disbursement: { year: 2025, form: 'MATERIALS', valueRupiah: 20_000_000 },
      });
      expect(document.maskedNiks.every((nik) => /^\d{4}\*{8}\d{4}$/.test(nik))).toBe(true);
    });

    it('GET /recipients/{id} also finds a recipient by its id in upper case', async () => {
      const document = await getOk<RecipientDocument>(
        `/recipients/${id.r4.toUpperCase()}`,
        'auditor',
      );
      expect(document).toMatchObject({ recipientId: id.r4, status: 'registered' });
    });

    it('GET /recipients/{id} answers 404 RECIPIENT_NOT_FOUND for an unknown id', async () => {
      const response = await get(`/recipients/${randomUUID()}`, 'auditor');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        statusCode: 404,
        code: 'RECIPIENT_NOT_FOUND',
        message: expect.any(String),
      });
    });

    it('shows no raw NIK, phone number or address, in the list or in any document', async () => {
      const list = await getOk<Recipients>('/recipients?limit=1000', 'auditor');
      const documents = await Promise.all(
        Object.values(id).map((recipientId) =>
          getOk<RecipientDocument>(`/recipients/${recipientId}`, 'auditor'),
        ),
      );
      const json = JSON.stringify([list, documents]);
      expect(list.items).toHaveLength(7);
      for (const nik of rawNiks) expect(json).not.toContain(nik);
      for (const text of [r1.phone, r1.address, '0813', 'Jl. Pahlawan']) {
        expect(json).not.toContain(text);
      }
      for (const document of documents) {
        const fields = [
          ...Object.keys(document),
          ...(document.members ?? []).flatMap((member) => Object.keys(member)),
        ];
        expect(fields.filter((field) => /phone|address|hash|^nik$/i.test(field))).toEqual([]);
      }
    });
  });

  describe('GET /audit/trail (auditor)', () => {
    const summaryOf = (entry: AuditEntry) => `${entry.type}: ${entry.summary}`;

    /** The entry an event should give, straight from the event store. */
    const entryOf = (event: StoredEvent) => ({
      position: Number(event.position),
      recordedAt: event.metadata.recordedAt,
      type: event.type,
      streamName: event.streamName,
      recipientId: recipientOf(event),
      actor: event.metadata.actor,
      correlationId: event.metadata.correlationId,
      causationId: event.metadata.causationId,
      commandId: event.metadata.commandId,
      summary: expect.any(String),
    });

    const trail = (query: string) => getOk<AuditPage>(`/audit/trail?${query}`, 'auditor');

    /** An RSE woman's registration day: her NIK claimed, her registration, her aid and its slot. */
    const RSE_WOMAN_AIDED = ['NikClaimed', 'RecipientRegistered', 'AidDisbursed', 'QuotaSlotTaken'];

    it('gives the quota slot events the recipient of their disbursement id', () => {
      const slots = events.filter((event) => event.type.startsWith('QuotaSlot'));
      expect(slots.map((event) => [event.type, recipientOf(event)])).toEqual([
        ...[id.r1, id.r2, id.r3, id.r5, id.k1, id.k2].map((recipientId) => [
          'QuotaSlotTaken',
          recipientId,
        ]),
        ['QuotaSlotReleased', id.r3],
      ]);
    });

    it('stores each command as one commit: its events at consecutive positions, one command id', () => {
      const commits = new Map<string, StoredEvent[]>();
      for (const event of events.filter((event) => event.metadata.actor !== 'system')) {
        const commit = commits.get(event.metadata.commandId) ?? [];
        commit.push(event);
        commits.set(event.metadata.commandId, commit);
      }
      const shapes = [...commits.values()].map((commit) => {
        const first = Number(commit[0].position);
        expect(commit.map((event) => Number(event.position))).toEqual(
          commit.map((_, index) => first + index),
        );
        return commit.map((event) => event.type).join(' + ');
      });
      const registration = (claims: number) =>
        [...Array<string>(claims).fill('NikClaimed'), 'RecipientRegistered'].join(' + ');
      expect(shapes).toEqual([
        ...Array<string>(5).fill(registration(1)),
        ...Array<string>(2).fill(registration(5)),
        ...Array<string>(6).fill('AidDisbursed + QuotaSlotTaken'),
        ...Array<string>(10).fill(expect.stringMatching(/^\w+Recorded$/)),
        'DisbursementReversed + QuotaSlotReleased',
        'AllocationSet',
        'AllocationSet',
      ]);
    });

    it('has one entry per event, in log order, with the metadata the event store holds', async () => {
      const page = await trail('limit=1000');
      expect(page.total).toBe(84);
      expect(page.items).toEqual(events.map(entryOf));
    });

    it('recipientId gives that recipient its events, in order', async () => {
      const page = await trail(`recipientId=${id.r1}`);
      expect(page.items.map((entry) => entry.type)).toEqual([
        ...RSE_WOMAN_AIDED,
        'MonitoringRecorded',
        'MonitoringRecorded',
        'MonitoringRecorded',
        'MentoringRecorded',
        'ExhibitionParticipationRecorded',
        'ExhibitionParticipationRecorded',
      ]);
      expect(page.total).toBe(10);
      expect(page.items).toEqual(
        events.filter((event) => recipientOf(event) === id.r1).map(entryOf),
      );
      // Every event of the recipient's own stream is there.
      const own = events.filter((event) => event.streamName === `recipient-${id.r1}`);
      expect(own).toHaveLength(8);
      expect(page.items.filter((entry) => entry.streamName === `recipient-${id.r1}`)).toEqual(
        own.map(entryOf),
      );
      const upper = await trail(`recipientId=${id.r1.toUpperCase()}`);
      expect(upper).toEqual(page);
    });

    it("recipientId: a KUBe's trail starts with the claims of its five NIKs", async () => {
      const page = await trail(`recipientId=${id.k1}`);
      expect(page.items.map((entry) => entry.type)).toEqual([
        ...Array<string>(5).fill('NikClaimed'),
        'RecipientRegistered',
        'AidDisbursed',
        'QuotaSlotTaken',
        'MonitoringRecorded',
      ]);
      expect(page.total).toBe(9);
      expect(page.items.map((entry) => entry.streamName).slice(0, 5)).toEqual(
        page.items.slice(0, 5).map(() => expect.stringMatching(/^nik-[0-9a-f]+$/)),
      );
    });

    it("recipientId: the trail of a reversed disbursement holds its quota slot's whole life", async () => {
      // QuotaSlotReleased carries only the disbursement id `<recipientId>.<n>`: the projection
      // takes the recipient from it.
      const page = await trail(`recipientId=${id.r3}`);
      expect(page.items.map((entry) => entry.type)).toEqual([
        ...RSE_WOMAN_AIDED,
        'MonitoringRecorded',
        'DisbursementReversed',
        'QuotaSlotReleased',
      ]);
    });

    it('summaries say what happened in words, with masked NIKs and no names', async () => {
      const r1Trail = await trail(`recipientId=${id.r1}`);
      expect(r1Trail.items.map(summaryOf)).toEqual([
        'NikClaimed: NIK claimed for registration',
        `RecipientRegistered: RSE recipient registered in Kota Samarinda (NIK ${maskNik(r1.nik)})`,
        `AidDisbursed: RSE aid of Rp5,000,000 in equipment disbursed on 2025-08-01 for 2025 (${id.r1}.1)`,
        `QuotaSlotTaken: Quota slot taken by ${id.r1}.1`,
        'MonitoringRecorded: Monitoring visit on 2025-09-01: growing, 2 workers',
        'MonitoringRecorded: Monitoring visit on 2025-09-10: stable, 3 workers',
        'MonitoringRecorded: Monitoring visit on 2025-08-20: struggling, 5 workers',
        'MentoringRecorded: Mentoring by Disperindagkop Kaltim on 2025-09-02: Pembukuan',
        'ExhibitionParticipationRecorded: Took part in Pameran UMKM Samarinda on 2025-09-03',
        'ExhibitionParticipationRecorded: Took part in Pameran Pesona Kaltim on 2025-09-11',
      ]);
      const k1Registered = (await trail(`recipientId=${id.k1}`)).items.find(
        (entry) => entry.type === 'RecipientRegistered',
      );
      expect(k1Registered?.summary).toBe(
        `KUBe of 5 registered in Kabupaten Kutai Barat (NIKs ${k1.members
          .map((member) => maskNik(member.nik))
          .join(', ')})`,
      );
      const lastDay = await trail('from=2025-09-14');
      expect(lastDay.items.map(summaryOf)).toEqual([
        `DisbursementReversed: Disbursement ${id.r3}.1 of Rp5,000,000 reversed on 2025-09-14: ${REVERSAL_REASON}`,
        `QuotaSlotReleased: Quota slot of ${id.r3}.1 released (reversed)`,
        'AllocationSet: Allocation of Kabupaten Kutai Barat set to 15 (was 20)',
        'AllocationSet: Allocation of Kota Bontang set to 10',
      ]);
    });

    it('carries the caller’s X-Request-Id as correlation id, the command id as cause', async () => {
      const lastDay = await trail('from=2025-09-14&actor=e2e-operator');
      expect(lastDay.items).toHaveLength(2);
      const [reversed, released] = lastDay.items;
      expect(reversed).toMatchObject({
        correlationId: REVERSAL_REQUEST_ID,
        causationId: reversed.commandId,
      });
      expect(released).toMatchObject({
        correlationId: REVERSAL_REQUEST_ID,
        commandId: reversed.commandId,
      });
    });

    it('shows no raw NIK, name, phone number or address anywhere in the trail', async () => {
      const json = JSON.stringify(await trail('limit=1000'));
      for (const nik of rawNiks) expect(json).not.toContain(nik);
      const names = [r1, r2, r3, r4, r5].map((body) => body.name);
      names.push(
        ...[k1, k2].flatMap((body) => [body.groupName, ...body.members.map((m) => m.name)]),
      );
      for (const text of [...names, r1.phone, r1.address]) expect(json).not.toContain(text);
    });

    it.each([
      ['system', 36],
      ['e2e-operator', 36],
      ['e2e-monitor', 10],
      ['e2e-admin', 2],
      ['e2e-viewer', 0],
    ])('actor=%s gives only what that actor did (%i entries)', async (actor, count) => {
      const page = await trail(`actor=${actor}&limit=1000`);
      expect(page.total).toBe(count);
      expect(page.items).toEqual(
        events.filter((event) => event.metadata.actor === actor).map(entryOf),
      );
    });

    it.each([
      ['to=2025-09-10', 36, 'system'],
      ['from=2025-09-12&to=2025-09-12', 34, 'e2e-operator'],
      ['from=2025-09-13&to=2025-09-13', 10, 'e2e-monitor'],
      ['from=2025-09-14', 4, 'e2e-operator, e2e-admin'],
      ['from=2025-09-11&to=2025-09-11', 0, ''],
      ['from=2025-09-14T02:00:30.000Z', 4, 'e2e-operator, e2e-admin'],
      ['to=2025-09-14T02:00:29.999Z', 80, 'system, e2e-operator, e2e-monitor'],
      ['from=2025-09-12T01:00:03.000Z&to=2025-09-12T01:00:03.000Z', 2, 'e2e-operator'],
    ])('%s: entries recorded in that range (%i), by %s', async (query, count, actors) => {
      const page = await trail(`${query}&limit=1000`);
      expect(page.total).toBe(count);
      expect([...new Set(page.items.map((entry) => entry.actor))].join(', ')).toBe(actors);
    });

    it.each([
      // The instant written without milliseconds is the same instant as with them.
      ['from=2025-09-14T02:00:30Z', 4],
      ['from=2025-09-14T02:00Z', 4],
      ['to=2025-09-14T02:00Z', 80],
      ['to=2025-09-14T02:00:29Z', 80],
      ['to=2025-09-12T01:00:03.5Z&from=2025-09-12T01:00:03Z', 2],
    ])(
      '%s: an instant without seconds or milliseconds bounds the range exactly (%i)',
      async (query, count) => {
        const page = await trail(`${query}&limit=1000`);
        expect(page.total).toBe(count);
      },
    );

    it.each([
      // Written with the WITA offset, as the CSV and xlsx exports write recorded times.
      ['from=2025-09-14T10:00:30.000%2B08:00', 4],
      ['from=2025-09-14T10:00%2B08:00', 4],
      ['to=2025-09-14T10:00:29.999%2B08:00', 80],
      ['from=2025-09-12T09:00:03.000%2B08:00&to=2025-09-12T09:00:03.000%2B08:00', 2],
      ['from=2025-09-13T21:00:30-05:00', 4],
      ['from=2025-09-14T02:00:30.000%2B00:00', 4],
    ])('%s: an instant with an offset is that instant (%i)', async (query, count) => {
      const page = await trail(`${query}&limit=1000`);
      expect(page.total).toBe(count);
    });

    it('finds the event of a recorded time copied from an export, pasted into from or to', async () => {
      // The history reads the event store itself: no minPosition to wait for.
      const response = await read(api, '/audit/disbursements?format=csv', 'auditor');
      expect(response.status).toBe(200);
      const row = String(response.text)
        .split('\r\n')
        .find((line) => line.startsWith(`${id.r3}.1,`));
      // recorded_at, then reversal_recorded_at: WITA, with its offset.
      const [recordedAt = '', reversalRecordedAt = ''] =
        row?.match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00/g) ?? [];
      expect(reversalRecordedAt).toBe('2025-09-14T10:00:30.000+08:00');

      const reversed = await trail(
        `recipientId=${id.r3}&from=${encodeURIComponent(reversalRecordedAt)}`,
      );
      expect(reversed.items.map((entry) => [entry.type, entry.recordedAt])).toEqual([
        ['DisbursementReversed', LAST_DAY.toISOString()],
        ['QuotaSlotReleased', LAST_DAY.toISOString()],
      ]);
      const aided = await trail(
        `recipientId=${id.r3}&from=${encodeURIComponent(recordedAt)}&to=${encodeURIComponent(recordedAt)}`,
      );
      expect(aided.items.map((entry) => entry.type)).toEqual(['AidDisbursed', 'QuotaSlotTaken']);
      expect(aided.items.map((entry) => witaTimestamp(entry.recordedAt))).toEqual([
        recordedAt,
        recordedAt,
      ]);
    });

    it('combines recipientId with from/to', async () => {
      const page = await trail(`recipientId=${id.r1}&from=2025-09-12&to=2025-09-12`);
      expect(page.items.map((entry) => entry.type)).toEqual(RSE_WOMAN_AIDED);
      expect(page.total).toBe(4);
      const lastDay = await trail(`recipientId=${id.r3}&from=2025-09-14T02:00Z`);
      expect(lastDay.items.map((entry) => entry.type)).toEqual([
        'DisbursementReversed',
        'QuotaSlotReleased',
      ]);
    });

    it('pages with limit and offset', async () => {
      const page = await trail('limit=10&offset=79');
      expect({ ...page, items: page.items.map((entry) => entry.position) }).toEqual({
        items: events.slice(79).map((event) => Number(event.position)),
        total: 84,
        limit: 10,
        offset: 79,
      });
      const first = await trail('limit=3');
      expect({ ...first, items: first.items.map((entry) => entry.type) }).toEqual({
        items: events.slice(0, 3).map((event) => event.type),
        total: 84,
        limit: 3,
        offset: 0,
      });
    });
  });

  describe('GET /monitoring/outcomes', () => {
    const outcomes = (query = '') =>
      getOk<MonitoringOutcomes>(`/monitoring/outcomes${query ? `?${query}` : ''}`);

    /** Recipients by the business status of their latest visit. */
    const byStatus = (
      growing: number,
      stable: number,
      struggling: number,
      closed: number,
      notMonitored: number,
    ) => ({
      GROWING: growing,
      STABLE: stable,
      STRUGGLING: struggling,
      CLOSED: closed,
      NOT_MONITORED: notMonitored,
    });

    /** Recipients naming each challenge at their latest visit. */
    const byChallenge = (
      limitedResources: number,
      marketCompetition: number,
      motivation: number,
      other: number,
    ) => ({
      LIMITED_RESOURCES: limitedResources,
      MARKET_COMPETITION: marketCompetition,
      MOTIVATION: motivation,
      OTHER: other,
    });

    const NOTHING = {
      recipients: 0,
      byStatus: byStatus(0, 0, 0, 0, 0),
      workers: 0,
      workersFromPoorHouseholds: 0,
      challenges: byChallenge(0, 0, 0, 0),
    };

    it.each<{ name: string; query: string; expected: MonitoringOutcomes }>([
      {
        name: 'adds up the latest visit of every recipient holding aid (the reversed one left out)',
        query: '',
        expected: {
          year: null,
          regencyCode: null,
          recipients: 5,
          byStatus: byStatus(1, 1, 1, 1, 1),
          workers: 8,
          workersFromPoorHouseholds: 6,
          challenges: byChallenge(2, 1, 2, 1),
        },
      },
      {
        name: 'year=2025: by the programme year of the aid',
        query: 'year=2025',
        expected: {
          year: 2025,
          regencyCode: null,
          recipients: 3,
          byStatus: byStatus(1, 1, 0, 1, 0),
          workers: 7,
          workersFromPoorHouseholds: 6,
          challenges: byChallenge(1, 1, 2, 1),
        },
      },
      {
        name: 'year=2024: by the programme year of the aid',
        query: 'year=2024',
        expected: {
          year: 2024,
          regencyCode: null,
          recipients: 2,
          byStatus: byStatus(0, 0, 1, 0, 1),
          workers: 1,
          workersFromPoorHouseholds: 0,
          challenges: byChallenge(1, 0, 0, 0),
        },
      },
      {
        name: 'regencyCode=64.72: the recipients of one regency, aided in any year',
        query: 'regencyCode=64.72',
        expected: {
          year: null,
          regencyCode: '64.72',
          recipients: 2,
          byStatus: byStatus(0, 1, 0, 0, 1),
          workers: 3,
          workersFromPoorHouseholds: 2,
          challenges: byChallenge(1, 0, 1, 0),
        },
      },
      {
        name: 'year=2025&regencyCode=64.72: a regency and a year together',
        query: 'year=2025&regencyCode=64.72',
        expected: {
          year: 2025,
          regencyCode: '64.72',
          recipients: 1,
          byStatus: byStatus(0, 1, 0, 0, 0),
          workers: 3,
          workersFromPoorHouseholds: 2,
          challenges: byChallenge(1, 0, 1, 0),
        },
      },
      {
        name: 'regencyCode=64.01: nothing where the only aid was reversed',
        query: 'regencyCode=64.01',
        expected: { year: null, regencyCode: '64.01', ...NOTHING },
      },
      {
        name: 'year=2026: nothing in a year without aid',
        query: 'year=2026',
        expected: { year: 2026, regencyCode: null, ...NOTHING },
      },
    ])('$name', async ({ query, expected }) => {
      expect(await outcomes(query)).toEqual(expected);
    });
  });

  describe('400 for query parameters that are not valid, naming the field', () => {
    const recipient = '0b6f3c1e-5d2a-4f7b-9c1d-2e3f4a5b6c7d';

    it.each([
      ['/quota-progress?year=abc', 'year', 'isInt'],
      ['/quota-progress?year=2025.5', 'year', 'isInt'],
      ['/quota-progress?minPosition=abc', 'minPosition', 'matches'],
      ['/quota-progress?minPosition=-1', 'minPosition', 'matches'],
      ['/recipients?limit=0', 'limit', 'min'],
      ['/recipients?limit=5000', 'limit', 'max'],
      ['/recipients?limit=ten', 'limit', 'isInt'],
      ['/recipients?offset=-1', 'offset', 'min'],
      ['/recipients?minPosition=abc', 'minPosition', 'matches'],
      ['/recipients?status=unknown', 'status', 'isIn'],
      ['/recipients?kind=PKH', 'kind', 'isIn'],
      ['/recipients?regencyCode=6472', 'regencyCode', 'matches'],
      [`/recipients/${recipient}?minPosition=abc`, 'minPosition', 'matches'],
      ['/recipients/not-a-uuid', 'id', 'isUuid'],
      ['/audit/trail?recipientId=not-a-uuid', 'recipientId', 'isUuid'],
      ['/audit/trail?from=yesterday', 'from', 'isDateOrInstant'],
      // A bare + in a URL reads as a space: the offset must be written %2B08:00.
      ['/audit/trail?to=2025-09-14T10:00:00+08:00', 'to', 'isDateOrInstant'],
      ['/audit/trail?from=2025-09-14T10:00%2B0800', 'from', 'isDateOrInstant'],
      ['/audit/trail?from=2025-09-14T10:00%2B24:00', 'from', 'isDateOrInstant'],
      ['/audit/trail?from=2025-09-14T10:00:00', 'from', 'isDateOrInstant'],
      ['/audit/trail?from=2025-09-14T10:00:00.000', 'from', 'isDateOrInstant'],
      ['/audit/trail?from=2025-02-30', 'from', 'isDateOrInstant'],
      ['/audit/trail?to=2025-02-29T12:00Z', 'to', 'isDateOrInstant'],
      ['/audit/trail?to=2025-09-14T24:30Z', 'to', 'isDateOrInstant'],
      ['/audit/trail?limit=0', 'limit', 'min'],
      ['/audit/trail?offset=-1', 'offset', 'min'],
      ['/audit/trail?minPosition=abc', 'minPosition', 'matches'],
      ['/monitoring/outcomes?year=abc', 'year', 'isInt'],
      ['/monitoring/outcomes?regencyCode=Samarinda', 'regencyCode', 'matches'],
      ['/monitoring/outcomes?minPosition=1e3', 'minPosition', 'matches'],
    ])('GET %s → 400 naming %s (%s)', async (path, field, rule) => {
      const response = await read(api, path, 'auditor');
      expect({ status: response.status, body: response.body as unknown }).toMatchObject({
        status: 400,
        body: { statusCode: 400, code: 'INVALID_INPUT', message: expect.any(String) },
      });
      expect(errorBody(response).errors).toContainEqual({
        field,
        rule,
        message: expect.any(String),
      });
    });

    it.each([
      ['from', '2025-09-14T10:00:00'],
      ['to', '2025-02-30'],
    ])('GET /audit/trail?%s=%s → 400 saying what a bound may be', async (field, value) => {
      const response = await read(
        api,
        `/audit/trail?${field}=${encodeURIComponent(value)}`,
        'auditor',
      );
      expect(response.status).toBe(400);
      expect(errorBody(response).errors).toEqual([
        {
          field,
          rule: 'isDateOrInstant',
          message: `${field} must be a date (YYYY-MM-DD) or an ISO instant with Z or an offset (…Z, …+08:00; + written %2B in a URL)`,
        },
      ]);
    });

    it.each([
      ['/quota-progress?regencyCode=64.72', 'regencyCode'],
      ['/quota-progress?years=2025', 'years'],
      ['/recipients?order=name', 'order'],
      ['/recipients?nik=6472055203900001', 'nik'],
      [`/recipients/${recipient}?limit=5`, 'limit'],
      ['/audit/trail?type=AidDisbursed', 'type'],
      ['/monitoring/outcomes?kind=RSE', 'kind'],
      ['/monitoring/outcomes?limit=5', 'limit'],
    ])('GET %s → 400: %s is not a known parameter', async (path, field) => {
      const response = await read(api, path, 'auditor');
      expect(response.status).toBe(400);
      expect(errorBody(response)).toMatchObject({ statusCode: 400, code: 'INVALID_INPUT' });
      expect(errorBody(response).errors).toContainEqual({
        field,
        rule: 'whitelistValidation',
        message: `${field} is not a known field`,
      });
    });

    it.each([
      '/recipients?limit=1&limit=2',
      '/recipients?status=aided&status=reversed',
      '/quota-progress?year=2024&year=2025',
      '/audit/trail?recipientId[]=x',
      `/audit/trail?minPosition=1&minPosition=2`,
      '/monitoring/outcomes?regencyCode=64.72&regencyCode=64.01',
      '/recipients?minPosition=123456789012345678901',
    ])('GET %s → 400, never 500', async (path) => {
      const response = await read(api, path, 'auditor');
      expect({ status: response.status, body: response.body as unknown }).toMatchObject({
        status: 400,
        body: { statusCode: 400, code: 'INVALID_INPUT' },
      });
    });
  });
});

describe('read API: recipients registered within the same millisecond', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(() => api.stop());

  it('are listed in the order they were registered, not by their random ids', async () => {
    // The fixed clock gives every registration the same registeredAt. Register until one id sorts
    // before the id registered just before it (half the time), so that the order is put to the test.
    const ids: string[] = [];
    let position = '0';
    while (ids.length < 2 || ids[ids.length - 1] > ids[ids.length - 2]) {
      expect(ids.length).toBeLessThan(40);
      const answer = await registerRecipient(api, rseBody({ regencyCode: '64.03' }));
      ids.push(answer.recipientId);
      position = answer.position;
    }
    const response = await read(
      api,
      `/recipients?regencyCode=64.03&limit=1000&minPosition=${position}`,
      'auditor',
    );
    expect(response.status).toBe(200);
    expect((response.body as Recipients).items.map((item) => item.recipientId)).toEqual(ids);
  });
});
