import { FixedClock } from '../../src/platform/clock';
import {
  API,
  bearer,
  disbursementBody,
  itemsWorth,
  kubeBody,
  mentoringBody,
  monitoringBody,
  nextNik,
  rseBody,
  startApi,
  type Api,
} from './api-client';

/** A day of 2027 in Kalimantan Timur (10:00 WITA), when the 2027 budget has been decided. */
export const IN_2027 = new Date('2027-03-10T02:00:00.000Z');

/** The body an admin sends to define 2027, as the budget decision reads. */
export const YEAR_2027 = {
  targets: { RSE: 300, KUBE: 120 },
  ceilingsRupiah: { RSE: 6_000_000, KUBE: 22_000_000 },
  allocationPerRegency: { RSE: null, KUBE: 10 },
  reason: 'APBD 2027, DPA Dinas Sosial No. 12/2027',
};

export interface Walk2027 {
  api: Api;
  rseId: string;
  kubeId: string;
  /** The position of the walk's last write, for reads that must see it. */
  position: string;
}

/** A service whose clock stands in March 2027, with nothing written yet but the default years. */
export function startApiIn2027(): Promise<Api> {
  return startApi({ clock: new FixedClock(IN_2027) });
}

/**
 * The year 2027 as the Dinas Sosial would live it: an admin defines it and sets Samarinda's KUBe
 * allocation, an operator registers a woman and a KUBe and disburses to both, a monitor visits.
 */
export async function walk2027(api: Api): Promise<Walk2027> {
  const send = async (
    method: 'put' | 'post',
    path: string,
    role: 'admin' | 'operator' | 'monitor',
    body: object,
    status: number,
  ): Promise<{ position: string; recipientId: string }> => {
    const response = await api.http[method](`${API}${path}`)
      .set('Authorization', bearer(role))
      .send(body);
    if (response.status !== status) {
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body as { position: string; recipientId: string };
  };
  await send('put', '/programme/years/2027', 'admin', YEAR_2027, 200);
  await send('put', '/programme/allocations/2027/KUBE/64.72', 'admin', { quota: 12 }, 200);

  const rse = await send(
    'post',
    '/recipients',
    'operator',
    rseBody({ nik: nextNik('female') }),
    201,
  );
  const kube = await send('post', '/recipients', 'operator', kubeBody(), 201);
  const rseId = rse.recipientId;
  const kubeId = kube.recipientId;
  // Rp6,000,000: above 2025's RSE ceiling, within 2027's.
  await send(
    'post',
    `/recipients/${rseId}/disbursements`,
    'operator',
    disbursementBody({ year: 2027, disbursedOn: '2027-02-01', items: itemsWorth(6_000_000) }),
    201,
  );
  await send(
    'post',
    `/recipients/${kubeId}/disbursements`,
    'operator',
    disbursementBody({ year: 2027, disbursedOn: '2027-02-03', items: itemsWorth(22_000_000) }),
    201,
  );
  await send(
    'post',
    `/recipients/${rseId}/monitoring`,
    'monitor',
    monitoringBody({ visitDate: '2027-03-01' }),
    201,
  );
  const last = await send(
    'post',
    `/recipients/${kubeId}/mentoring`,
    'monitor',
    mentoringBody({ date: '2027-03-02' }),
    201,
  );
  return { api, rseId, kubeId, position: last.position };
}
