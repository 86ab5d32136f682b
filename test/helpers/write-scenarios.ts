import { randomUUID } from 'node:crypto';
import type { Response, Test } from 'supertest';
import {
  API,
  bearer,
  disburse,
  disbursementBody,
  erasureBody,
  errorBody,
  exhibitionBody,
  kubeBody,
  kubeMembers,
  mentoringBody,
  monitoringBody,
  register,
  reverseDisbursement,
  rseBody,
  type Api,
  type DisbursementBody,
  type ErrorBody,
  type KubeBody,
  type KubeMember,
  type RseBody,
  type TokenName,
} from './api-client';
import { LIVENESS_BOUND_MS, slowestLivenessDuring } from './liveness';

/** One write request: where it goes, as whom, and what it carries. */
export interface WriteRequest {
  method: 'POST' | 'PUT';
  /** The path under /api/v1. */
  path: string;
  role: TokenName;
  /** An object, sent as JSON; or JSON text, sent as it stands. */
  body: object | string;
  headers?: Record<string, string>;
}

/** Sends `request` to the app. */
export function send(api: Api, { method, path, role, body, headers = {} }: WriteRequest): Test {
  const url = `${API}${path}`;
  let test = (method === 'PUT' ? api.http.put(url) : api.http.post(url)).set(
    'Authorization',
    bearer(role),
  );
  for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
  if (typeof body === 'string') test = test.set('Content-Type', 'application/json');
  return test.send(body);
}

/** A registration, as the operator. */
export const registration = (body: object | string): WriteRequest => ({
  method: 'POST',
  path: '/recipients',
  role: 'operator',
  body,
});

/** What can be posted under /recipients/{id}. */
export type RecipientAction = 'disbursements' | 'monitoring' | 'mentoring' | 'exhibitions';
export type FollowUp = Exclude<RecipientAction, 'disbursements'>;

/** A valid body for each action. */
const ACTION_BODY: Record<RecipientAction, () => object> = {
  disbursements: () => disbursementBody(),
  monitoring: () => monitoringBody(),
  mentoring: () => mentoringBody(),
  exhibitions: () => exhibitionBody(),
};

/** A POST under /recipients/{id}: aid as the operator, follow-ups as the monitor. */
export const toRecipient = (
  recipientId: string,
  action: RecipientAction,
  body: object = ACTION_BODY[action](),
): WriteRequest => ({
  method: 'POST',
  path: `/recipients/${recipientId}/${action}`,
  role: action === 'disbursements' ? 'operator' : 'monitor',
  body,
});

/** Aid for `recipientId`, as the operator. */
export const disbursement = (recipientId: string, body: object = disbursementBody()) =>
  toRecipient(recipientId, 'disbursements', body);

/** A monitoring visit, mentoring or exhibition for `recipientId`, as the monitor. */
export const followUp = (recipientId: string, action: FollowUp, body?: object) =>
  toRecipient(recipientId, action, body);

/** The reversal of `disbursementId`, as the operator. */
export const reversal = (disbursementId: string, body: object): WriteRequest => ({
  method: 'POST',
  path: `/disbursements/${disbursementId}/reversal`,
  role: 'operator',
  body,
});

/** The erasure of a recipient's personal data, as the admin unless `role` says otherwise. */
export const erasure = (
  recipientId: string,
  body: object = erasureBody(),
  role: TokenName = 'admin',
): WriteRequest => ({
  method: 'POST',
  path: `/recipients/${recipientId}/erasure`,
  role,
  body,
});

/** A PUT of `/programme/allocations/<at>` (`<year>/<kind>/<regencyCode>`), as the admin. */
export const allocation = (at: string, body: object): WriteRequest => ({
  method: 'PUT',
  path: `/programme/allocations/${at}`,
  role: 'admin',
  body,
});

/** A KUBE of five fresh members, member `index` changed as `change` says. */
export function kubeWithMember(
  index: number,
  change: (members: KubeMember[]) => Partial<KubeMember>,
): KubeBody {
  const members = kubeMembers();
  members[index] = { ...members[index], ...change(members) };
  return kubeBody({ members });
}

/** What the steps before a request answer: a recipient and the id of its first disbursement. */
export interface Arranged {
  recipientId: string;
  disbursementId: string;
}

/** Steps that must succeed before the request under test. */
export type Setup = (api: Api) => Promise<Arranged>;

const firstOf = (recipientId: string): Arranged => ({
  recipientId,
  disbursementId: `${recipientId}.1`,
});

/** No step at all: ids that name no recipient and no disbursement. */
export const unknownIds: Setup = () => Promise.resolve(firstOf(randomUUID()));

/** A recipient registered (an RSE woman unless `recipient` says otherwise), never aided. */
export const registered =
  (recipient: () => RseBody | KubeBody = rseBody): Setup =>
  async (api) =>
    firstOf(await register(api, recipient()));

/** A recipient registered and aided (by default Rp5,000,000 on 1 August 2025). */
export const aided =
  (aid: Partial<DisbursementBody> = {}, recipient: () => RseBody | KubeBody = rseBody): Setup =>
  async (api) => {
    const recipientId = await register(api, recipient());
    return { recipientId, disbursementId: await disburse(api, recipientId, disbursementBody(aid)) };
  };

/** An RSE woman aided, her aid then reversed for `reason`. */
export const aidReversed =
  (reason: string): Setup =>
  async (api) => {
    const ids = await aided()(api);
    await reverseDisbursement(api, ids.disbursementId, reason);
    return ids;
  };

/** As a case's `when`: aid for the recipient the steps registered, changed by `overrides`. */
export const disbursing =
  (overrides: Partial<DisbursementBody>) =>
  ({ recipientId }: Arranged): WriteRequest =>
    disbursement(recipientId, disbursementBody(overrides));

/** As a case's `when`: a follow-up of the recipient the steps registered. */
export const recording =
  (action: FollowUp, body?: object) =>
  ({ recipientId }: Arranged): WriteRequest =>
    followUp(recipientId, action, body);

/** Sends one request and checks that it wrote nothing at all to the event store. */
export async function writesNothing(api: Api, sent: () => Test): Promise<Response> {
  const before = await api.headPosition();
  const response = await sent();
  const after = await api.headPosition();
  expect({ eventsWritten: after - before }).toEqual({ eventsWritten: 0n });
  return response;
}

/** A request refused: what it takes to get there and what the refusal must say. */
export interface Refusal {
  /** Steps that must succeed first; without them, the ids name nothing. */
  given?: Setup;
  /** The request refused, given what the steps answered. */
  when: (ids: Arranged) => WriteRequest;
  status: number;
  code: string;
  /** The field the error names. */
  field?: string;
  /** Each field with the rule it broke, all among `errors` (each with a message). */
  broken?: { field: string; rule: string }[];
  /** Fields `errors` names, whatever the rule. */
  brokenFields?: string[];
  /** Exactly the `errors` expected. */
  errors?: ErrorBody['errors'];
}

/** A refusal with the name of the test that checks it. */
export interface RefusalCase extends Refusal {
  name: string;
}

/**
 * Takes the `given` steps, then sends the request: it must be refused with the status, code,
 * field and errors expected, and write no event.
 */
export async function expectRefusal(api: Api, refusal: Refusal): Promise<Response> {
  const { given = unknownIds, when, status, code, field, broken = [], brokenFields = [] } = refusal;
  const ids = await given(api);
  const { result: response, slowestMs } = await slowestLivenessDuring(api, () =>
    writesNothing(api, () => send(api, when(ids))),
  );
  expect(slowestMs).toBeLessThan(LIVENESS_BOUND_MS);
  expect({ status: response.status, body: response.body as unknown }).toMatchObject({
    status,
    body: { statusCode: status, code, message: expect.any(String) },
  });
  const body = errorBody(response);
  if (field !== undefined) expect(body.field).toBe(field);
  const errors = body.errors ?? [];
  for (const { field, rule } of broken) {
    expect(errors).toContainEqual({ field, rule, message: expect.any(String) });
  }
  for (const field of brokenFields) {
    expect(body.errors?.map((error) => error.field)).toContain(field);
  }
  if (refusal.errors !== undefined) expect(body.errors).toEqual(refusal.errors);
  return response;
}
