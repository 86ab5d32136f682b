import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, operations, paths } from './schema';

/**
 * The API as openapi-fetch sees it: `client.GET(path, init)`, `client.POST(path, init)`, …
 * `data` is typed as the JSON answer; a route that also answers CSV or xlsx gives those with
 * `parseAs: 'text'` or `'blob'`.
 */
export type BansosClient = Client<paths, 'application/json'>;

export interface BansosClientOptions {
  /** Where the service listens, without `/api/v1` (the paths carry it): `https://bansos.example`. */
  baseUrl: string;
  /** A bearer token (static or JWT); sent as `Authorization: Bearer <token>` on every request. */
  token: string;
  /** Another fetch (tests, proxies, retries); `globalThis.fetch` by default. */
  fetch?: ClientOptions['fetch'];
}

/** A typed client of every route the OpenAPI document describes, authenticated with `token`. */
export function createBansosClient({ baseUrl, token, fetch }: BansosClientOptions): BansosClient {
  return createClient<paths, 'application/json'>({
    baseUrl,
    headers: { Authorization: `Bearer ${token}` },
    ...(fetch ? { fetch } : {}),
  });
}

/**
 * A fresh key for one command. Keep it while retrying that command (after a timeout, a 503, a
 * lost connection): the service applies the command once and answers every retry the same.
 */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/**
 * The header params that make a POST idempotent, for `params.header`:
 * `client.POST(path, { params: { header: idempotencyKey(key) }, body })`.
 */
export function idempotencyKey(key: string = newIdempotencyKey()): { 'Idempotency-Key': string } {
  return { 'Idempotency-Key': key };
}

type Schemas = components['schemas'];
type Method = 'get' | 'put' | 'post';

/** The JSON body a route answers with `status`. */
export type JsonAnswer<
  Path extends keyof paths,
  M extends Method & keyof paths[Path],
  Status extends number,
> = paths[Path][M] extends { responses: infer Responses }
  ? Status extends keyof Responses
    ? Responses[Status] extends { content: { 'application/json': infer Body } }
      ? Body
      : never
    : never
  : never;

// The request bodies, named after what they describe.
export type RseRegistration = Schemas['RegisterRseBody'];
export type KubeRegistration = Schemas['RegisterKubeBody'];
export type RecipientRegistration = RseRegistration | KubeRegistration;
export type KubeMember = Schemas['KubeMemberBody'];
export type MemberRole = KubeMember['role'];
export type AidDisbursement = Schemas['DisburseAidBody'];
export type AidItem = Schemas['AidItemBody'];
export type DisbursementReversal = Schemas['ReverseDisbursementBody'];
export type MonitoringVisit = Schemas['RecordMonitoringBody'];
export type MentoringSession = Schemas['RecordMentoringBody'];
export type Exhibition = Schemas['RecordExhibitionBody'];
export type DetailCorrection = Schemas['CorrectDetailsBody'];
export type NikCorrection = Schemas['CorrectNikBody'];
export type MemberReplacement = Schemas['ReplaceMemberBody'];
export type Move = Schemas['RecordMoveBody'];
export type Death = Schemas['RecordDeathBody'];
export type Withdrawal = Schemas['RecordWithdrawalBody'];
export type PersonalDataErasure = Schemas['ErasePersonalDataBody'];
export type ProgrammeYearDefinition = Schemas['SetProgrammeYearBody'];
export type Allocation = Schemas['SetAllocationBody'];
export type NikQuery = Schemas['NikLookupBody'];

// The answers of the commands.
export type CommandAnswer = JsonAnswer<'/api/v1/disbursements/{id}/reversal', 'post', 200>;
export type RegistrationAnswer = JsonAnswer<'/api/v1/recipients', 'post', 201>;
export type DisbursementAnswer = JsonAnswer<'/api/v1/recipients/{id}/disbursements', 'post', 201>;
export type ErasureAnswer = JsonAnswer<'/api/v1/recipients/{id}/erasure', 'post', 200>;
export type SealAnswer = JsonAnswer<'/api/v1/audit/seals', 'post', 201>;

// The answers of the reads.
export type Programme = Schemas['Programme'];
export type QuotaProgress = Schemas['QuotaProgress'];
export type Recipient = Schemas['Recipient'];
/** What GET /recipients answers: a page for the roles that see names, a count for a viewer. */
export type RecipientList = JsonAnswer<'/api/v1/recipients', 'get', 200>;
export type NikLookup = Schemas['NikLookup'];
export type AuditTrailPage = Schemas['AuditTrailPage'];
export type DisbursementRecord = Schemas['DisbursementRecord'];
export type VerifyReport = Schemas['VerifyReport'];
export type MonitoringOutcomes = Schemas['MonitoringOutcomes'];
export type MentoringPartner = Schemas['MentoringPartner'];
export type HealthReport = Schemas['HealthReport'];

/** The body of every refusal (4xx, 5xx): `{statusCode, code, message, field?, errors?}`. */
export type ApiError = Schemas['Error'];
