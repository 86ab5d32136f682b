import { DEMO_SEED, demoDataSet, type DemoRecipient } from './demo-data-set';

export interface SeedTarget {
  /** The service, e.g. `http://localhost:3000`. */
  url: string;
  /** Registers and disburses: a token holding the operator role. */
  operatorToken: string;
  /** Records monitoring, mentoring and exhibitions: a token holding the monitor role. */
  monitorToken: string;
}

export interface SeedOptions extends SeedTarget {
  dataSet?: DemoRecipient[];
  /** Recipients put in at once (each one's requests go in order). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export type SeedStep =
  'registrations' | 'disbursements' | 'monitoring' | 'mentoring' | 'exhibitions';

export interface SeedSummary {
  /** The requests the data set takes. */
  total: number;
  /** The requests that changed the service, by step. */
  added: Record<SeedStep, number>;
  /**
   * The requests already applied before: answered again from their Idempotency-Key, or belonging
   * to a recipient that another token registered (its NIK is taken, so nothing more is sent).
   */
  alreadyThere: number;
}

/** A request the service refused or never answered; the message names the request and the reason. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
}

const API = '/api/v1';
const REQUEST_TIMEOUT_MS = 30_000;
/** A request the service asks to retry (429 rate limited, 503 unavailable) is sent again this often. */
const RETRIES = 5;
/**
 * Idempotency-Keys start with the data set's seed and version: bump the version whenever the
 * generator changes what it sends, so that a changed request is not mistaken for a reused key.
 * Requests added after a recipient's last one (as the story after the published progress was)
 * keep it: every key sent before still names the same request, so a rerun adds only the new ones.
 */
const KEY_PREFIX = `demo-${DEMO_SEED}-v1`;

/**
 * Puts the demo data set into a running service through its HTTP API, so every rule applies.
 * Every request carries an Idempotency-Key derived from the data set, so running it again adds
 * nothing: the service answers each request from its key (with the same tokens), or refuses a
 * registration whose NIK is taken (with other tokens) and that recipient is left as it is.
 */
export async function seedDemo(options: SeedOptions): Promise<SeedSummary> {
  const dataSet = options.dataSet ?? demoDataSet();
  const total = countRequests(dataSet);
  const summary: SeedSummary = {
    total,
    added: { registrations: 0, disbursements: 0, monitoring: 0, mentoring: 0, exhibitions: 0 },
    alreadyThere: 0,
  };
  let done = 0;
  const count = (answer: Answer, step: SeedStep) => {
    if (answer.replayed) summary.alreadyThere++;
    else summary.added[step]++;
    options.onProgress?.(++done, total);
  };

  const seedRecipient = async (recipient: DemoRecipient): Promise<void> => {
    const send = (
      step: SeedStep,
      token: string,
      path: string,
      body: unknown,
      index: number,
    ): Promise<Answer> =>
      postUntilAnswered(
        options.url,
        token,
        path,
        body,
        `${KEY_PREFIX}/${recipient.key}/${index}`,
      ).then((answer) => check(answer, step, recipient.key));

    const registered = await send(
      'registrations',
      options.operatorToken,
      `${API}/recipients`,
      recipient.registration,
      0,
    );
    if (registered.status === 409 && registered.code === 'NIK_ALREADY_REGISTERED') {
      const skipped = 2 + recipient.followUps.length;
      summary.alreadyThere += skipped;
      done += skipped;
      options.onProgress?.(done, total);
      return;
    }
    count(registered, 'registrations');
    const at = `${API}/recipients/${(registered.body as { recipientId: string }).recipientId}`;
    count(
      await send(
        'disbursements',
        options.operatorToken,
        `${at}/disbursements`,
        recipient.disbursement,
        1,
      ),
      'disbursements',
    );
    for (const [index, followUp] of recipient.followUps.entries()) {
      const { path, body } = followUp;
      count(await send(path, options.monitorToken, `${at}/${path}`, body, index + 2), path);
    }
  };

  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (failure === null && next < dataSet.length) {
      const recipient = dataSet[next++];
      try {
        await seedRecipient(recipient);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  if (failure !== null) throw failure;
  return summary;
}

/** Every recipient takes a registration, a disbursement and its follow-ups. */
export function countRequests(dataSet: readonly DemoRecipient[]): number {
  return dataSet.reduce((sum, recipient) => sum + 2 + recipient.followUps.length, 0);
}

interface Answer {
  status: number;
  /** The service answered from the Idempotency-Key: the request had been applied before. */
  replayed: boolean;
  code: string | null;
  body: unknown;
  retryAfter: string | null;
}

/**
 * Sends the request again, after the Retry-After the service names, while it answers 429 or 503:
 * the Idempotency-Key makes a repeat safe.
 */
async function postUntilAnswered(...request: Parameters<typeof post>): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    const answer = await post(...request);
    if ((answer.status !== 429 && answer.status !== 503) || attempt === RETRIES) return answer;
    const seconds = Math.min(Number(answer.retryAfter) || 1, 60);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
}

async function post(
  url: string,
  token: string,
  path: string,
  body: unknown,
  idempotencyKey: string,
): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(`${url.replace(/\/+$/, '')}${path}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': idempotencyKey,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new SeedError(`No answer from ${url}: ${cause ?? (error as Error).message}`);
  }
  const parsed = parseJson(await response.text());
  const code = (parsed as { code?: unknown } | null)?.code;
  return {
    status: response.status,
    replayed: response.headers.get('idempotent-replayed') === 'true',
    code: typeof code === 'string' ? code : null,
    body: parsed,
    retryAfter: response.headers.get('retry-after'),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const REQUEST_NAMES: Record<SeedStep, string> = {
  registrations: 'registration',
  disbursements: 'disbursement',
  monitoring: 'monitoring visit',
  mentoring: 'mentoring session',
  exhibitions: 'exhibition entry',
};

/** Success, or the one refusal a rerun expects; anything else stops the seed, naming the reason. */
function check(answer: Answer, step: SeedStep, key: string): Answer {
  if (answer.status === 201) return answer;
  if (step === 'registrations' && answer.code === 'NIK_ALREADY_REGISTERED') return answer;
  const { message } = (answer.body ?? {}) as { message?: unknown };
  const reason = [answer.status, answer.code].filter((part) => part !== null).join(' ');
  const detail = typeof message === 'string' ? `: ${message}` : '';
  throw new SeedError(`The ${REQUEST_NAMES[step]} of ${key} was refused: ${reason}${detail}`);
}
