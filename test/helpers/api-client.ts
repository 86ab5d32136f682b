import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request, { type Response, type Test } from 'supertest';
import { FixedClock, type Clock } from '../../src/platform/clock';
import type { TokenGrant } from '../../src/config/app.config';
import {
  EVENT_STORE,
  type EventStore,
  type StoredEvent,
} from '../../src/platform/event-store/event-store.port';
import type {
  AidDisbursement,
  AidItem,
  ApiError,
  CommandAnswer,
  DisbursementAnswer,
  ErasureAnswer,
  Exhibition,
  KubeMember,
  KubeRegistration,
  MemberRole,
  MentoringSession,
  MonitoringVisit,
  PersonalDataErasure,
  RegistrationAnswer,
  RseRegistration,
} from '../../client/src';
import { startTestApp, type TestAppOptions } from './test-app';

export const API = '/api/v1';

/** One token per role, and one (`bystander`) whose roles allow no write at all. */
export const TOKENS = {
  admin: 'e2e-admin-token-0000000001',
  operator: 'e2e-operator-token-0000001',
  monitor: 'e2e-monitor-token-00000001',
  auditor: 'e2e-auditor-token-00000001',
  viewer: 'e2e-viewer-token-000000001',
  bystander: 'e2e-bystander-token-000001',
} as const;

export type TokenName = keyof typeof TOKENS;

export const AUTH_TOKENS: TokenGrant[] = [
  { token: TOKENS.admin, actor: 'e2e-admin', roles: ['admin'] },
  { token: TOKENS.operator, actor: 'e2e-operator', roles: ['operator'] },
  { token: TOKENS.monitor, actor: 'e2e-monitor', roles: ['monitor'] },
  { token: TOKENS.auditor, actor: 'e2e-auditor', roles: ['auditor'] },
  { token: TOKENS.viewer, actor: 'e2e-viewer', roles: ['viewer'] },
  { token: TOKENS.bystander, actor: 'e2e-bystander', roles: ['auditor', 'viewer'] },
];

/** A fixed key, so that NIK hashes (and the order claims are made in) repeat from run to run. */
export const NIK_HMAC_SECRET = 'e2e-nik-hmac-secret-0123456789abcdef';

/**
 * "Now" for the e2e suites unless a test brings its own clock: 10:00 on 15 September 2025 in
 * Kalimantan Timur (WITA, UTC+8). Dates in 2024 and up to 2025-09-15 are past; later ones are
 * in the future, whatever the real date is when the suite runs.
 */
export const NOW = new Date('2025-09-15T02:00:00.000Z');
export const TODAY = '2025-09-15';

export const bearer = (name: TokenName): string => `Bearer ${TOKENS[name]}`;

export type Http = ReturnType<typeof request>;

export interface Api {
  app: NestExpressApplication;
  /** Requests to the app's listening HTTP server. */
  http: Http;
  tokens: typeof TOKENS;
  clock: Clock;
  eventStore: EventStore;
  /** GET /health → eventStore.headPosition, as a bigint. */
  headPosition(): Promise<bigint>;
  /** Every stored event after `after`, in position order. */
  eventsAfter(after?: bigint): Promise<StoredEvent[]>;
  stop(): Promise<void>;
}

export interface StartApiOptions {
  clock?: Clock;
  logger?: LoggerService;
  logs?: TestAppOptions['logs'];
  env?: NodeJS.ProcessEnv;
}

export async function startApi(options: StartApiOptions = {}): Promise<Api> {
  const clock = options.clock ?? new FixedClock(NOW);
  const { app, stop } = await startTestApp(
    { AUTH_TOKENS: JSON.stringify(AUTH_TOKENS), NIK_HMAC_SECRET, ...options.env },
    { clock, logger: options.logger, logs: options.logs },
  );
  const http = request(app.getHttpServer());
  const eventStore = app.get<EventStore>(EVENT_STORE);
  return {
    app,
    http,
    tokens: TOKENS,
    clock,
    eventStore,
    async headPosition() {
      const response = await http.get('/health').expect(200);
      const body = response.body as { eventStore: { headPosition: string } };
      return BigInt(body.eventStore.headPosition);
    },
    async eventsAfter(after = 0n) {
      const events: StoredEvent[] = [];
      for (let from = after; ;) {
        const page = await eventStore.readAll({ after: from, maxCount: 1000 });
        if (page.length === 0) return events;
        events.push(...page);
        from = page[page.length - 1].position;
      }
    },
    stop,
  };
}

export type Sex = 'female' | 'male';

/**
 * Valid NIKs that never repeat within one generator: a real date of birth (day + 40 for women),
 * a district and a serial, all derived from a counter. `regencyCode` gives the region part.
 */
export function nikGenerator(): (sex?: Sex, regencyCode?: string) => string {
  let counter = 0;
  return (sex = 'female', regencyCode = '64.72') => {
    const n = counter++;
    const serial = (n % 9999) + 1;
    const dateIndex = Math.floor(n / 9999);
    const day = (dateIndex % 28) + 1;
    const month = (Math.floor(dateIndex / 28) % 12) + 1;
    const year = 90 - (Math.floor(dateIndex / 336) % 60);
    const region = regencyCode.replace('.', '');
    return [
      region,
      '05',
      pad(sex === 'female' ? day + 40 : day, 2),
      pad(month, 2),
      pad(year % 100, 2),
      pad(serial, 4),
    ].join('');
  };
}

/** The generator every e2e helper draws from; each spec file has its own module registry. */
export const nextNik = nikGenerator();

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function maskNik(nik: string): string {
  return `${nik.slice(0, 4)}********${nik.slice(12)}`;
}

// The request and answer types are the ones generated from the OpenAPI document (client/), so
// the e2e suites send what the document promises and stop compiling when it drifts. The specs
// know the request bodies they build by these names.
export type RseBody = RseRegistration;
export type KubeBody = KubeRegistration;
export type { KubeMember };
export type DisbursementBody = AidDisbursement;
export type MonitoringBody = MonitoringVisit;
/** The error body every refusal carries. */
export type ErrorBody = ApiError;

export function rseBody(overrides: Partial<RseBody> = {}): RseBody {
  return {
    kind: 'RSE',
    regencyCode: '64.72',
    name: 'Siti Aminah',
    nik: nextNik('female'),
    businessType: 'Warung makan',
    ...overrides,
  };
}

const ROLES_OF_FIVE: MemberRole[] = ['CHAIR', 'SECRETARY', 'TREASURER', 'MEMBER', 'MEMBER'];
const MEMBER_NAMES = ['Rahmat Hidayat', 'Nur Aini', 'Budi Santoso', 'Sri Wahyuni', 'Andi Saputra'];

/** Five members with fresh NIKs, women and men alternately, one CHAIR. */
export function kubeMembers(count = 5): KubeMember[] {
  return Array.from({ length: count }, (_, index) => ({
    nik: nextNik(index % 2 === 0 ? 'male' : 'female'),
    name: MEMBER_NAMES[index % MEMBER_NAMES.length],
    role: ROLES_OF_FIVE[index % ROLES_OF_FIVE.length],
  }));
}

export function kubeBody(overrides: Partial<KubeBody> = {}): KubeBody {
  return {
    kind: 'KUBE',
    regencyCode: '64.72',
    groupName: 'KUBE Mawar Mahakam',
    businessType: 'Kerajinan manik-manik',
    members: kubeMembers(),
    ...overrides,
  };
}

/** Items worth exactly `rupiah` (one item at that price). */
export function itemsWorth(rupiah: number): AidItem[] {
  return [{ description: 'Peralatan usaha', quantity: 1, unitPriceRupiah: rupiah }];
}

/** Aid worth Rp5,000,000 (the RSE ceiling) handed over on 1 August 2025. */
export function disbursementBody(overrides: Partial<DisbursementBody> = {}): DisbursementBody {
  return {
    year: 2025,
    form: 'EQUIPMENT',
    items: [
      { description: 'Etalase kaca', quantity: 1, unitPriceRupiah: 3_000_000 },
      { description: 'Kompor gas dua tungku', quantity: 2, unitPriceRupiah: 1_000_000 },
    ],
    disbursedOn: '2025-08-01',
    ...overrides,
  };
}

export function monitoringBody(overrides: Partial<MonitoringBody> = {}): MonitoringBody {
  return {
    visitDate: '2025-09-01',
    businessStatus: 'GROWING',
    monthlyTurnoverRupiah: 2_500_000,
    workers: 2,
    workersFromPoorHouseholds: 1,
    challenges: ['MARKET_COMPETITION'],
    ...overrides,
  };
}

export function mentoringBody(overrides: Partial<MentoringSession> = {}): MentoringSession {
  return {
    partner: 'Disperindagkop Kaltim',
    topic: 'Pembukuan sederhana',
    date: '2025-09-02',
    ...overrides,
  };
}

export function exhibitionBody(overrides: Partial<Exhibition> = {}): Exhibition {
  return { name: 'Pameran UMKM Samarinda', date: '2025-09-03', ...overrides };
}

export function errorBody(response: Response): ErrorBody {
  return response.body as ErrorBody;
}

/** Setup steps that must succeed: each checks its own status and returns what later steps need. */
export async function register(api: Api, body: RseBody | KubeBody): Promise<string> {
  return (await registerRecipient(api, body)).recipientId;
}

export async function disburse(
  api: Api,
  recipientId: string,
  body: DisbursementBody = disbursementBody(),
): Promise<string> {
  return (await disburseAid(api, recipientId, body)).disbursementId;
}

export async function setAllocation(
  api: Api,
  year: number,
  kind: 'RSE' | 'KUBE',
  regencyCode: string,
  quota: number,
): Promise<void> {
  await allocate(api, year, kind, regencyCode, quota);
}

/** Checks a command's status, showing its body when it is not the one expected. */
function answered<T>(response: Response, status: number): T {
  expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status });
  return response.body as T;
}

/** Like `register`, also answering the command's position. */
export async function registerRecipient(
  api: Api,
  body: RseBody | KubeBody,
): Promise<RegistrationAnswer> {
  const response = await api.http
    .post(`${API}/recipients`)
    .set('Authorization', bearer('operator'))
    .send(body);
  return answered<RegistrationAnswer>(response, 201);
}

/** Like `disburse`, also answering the value and the command's position. */
export async function disburseAid(
  api: Api,
  recipientId: string,
  body: DisbursementBody = disbursementBody(),
): Promise<DisbursementAnswer> {
  const response = await api.http
    .post(`${API}/recipients/${recipientId}/disbursements`)
    .set('Authorization', bearer('operator'))
    .send(body);
  return answered<DisbursementAnswer>(response, 201);
}

/** Reverses a disbursement as the operator; answers the command's position. */
export async function reverseDisbursement(
  api: Api,
  disbursementId: string,
  reason = 'Data ganda',
): Promise<string> {
  const response = await api.http
    .post(`${API}/disbursements/${disbursementId}/reversal`)
    .set('Authorization', bearer('operator'))
    .send({ reason });
  return answered<CommandAnswer>(response, 200).position;
}

export interface FollowUpBodies {
  monitoring: MonitoringBody;
  mentoring: MentoringSession;
  exhibitions: Exhibition;
}

/** Records a monitoring visit, mentoring or exhibition as the monitor; answers the position. */
export async function recordFollowUp<Path extends keyof FollowUpBodies>(
  api: Api,
  recipientId: string,
  path: Path,
  body: FollowUpBodies[Path],
): Promise<string> {
  const response = await api.http
    .post(`${API}/recipients/${recipientId}/${path}`)
    .set('Authorization', bearer('monitor'))
    .send(body);
  return answered<CommandAnswer>(response, 201).position;
}

/** Like `setAllocation`, answering the command's position ("0" when nothing changed). */
export async function allocate(
  api: Api,
  year: number,
  kind: 'RSE' | 'KUBE',
  regencyCode: string,
  quota: number,
): Promise<string> {
  const response = await api.http
    .put(`${API}/programme/allocations/${year}/${kind}/${regencyCode}`)
    .set('Authorization', bearer('admin'))
    .send({ quota });
  return answered<CommandAnswer>(response, 200).position;
}

/** A GET under /api/v1 (`path` may carry a query string) as `role`, or with no token at all. */
export function read(api: Api, path: string, role?: TokenName): Test {
  const request = api.http.get(`${API}${path}`);
  return role === undefined ? request : request.set('Authorization', bearer(role));
}

export function erasureBody(overrides: Partial<PersonalDataErasure> = {}): PersonalDataErasure {
  return {
    reason: 'Permintaan penghapusan oleh subjek data (UU 27/2022 Pasal 8)',
    reference: 'Surat No. 470/123/DPPPA/2025',
    ...overrides,
  };
}

/** Erases a recipient's personal data (or one member's) as the admin; must answer 200. */
export async function erasePersonalData(
  api: Api,
  recipientId: string,
  body: PersonalDataErasure = erasureBody(),
): Promise<ErasureAnswer> {
  const response = await api.http
    .post(`${API}/recipients/${recipientId}/erasure`)
    .set('Authorization', bearer('admin'))
    .send(body);
  return answered<ErasureAnswer>(response, 200);
}
