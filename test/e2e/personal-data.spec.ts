import type { LoggerService } from '@nestjs/common';
import {
  API,
  bearer,
  disburse,
  kubeBody,
  maskNik,
  register,
  rseBody,
  startApi,
  type Api,
  type KubeBody,
  type RseBody,
} from '../helpers/api-client';
import { TRACEABLE_GROUP, TRACEABLE_WOMAN } from '../helpers/personal-data';

/** Every line Nest logs, at every level, as text. */
class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.record('log', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.record('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.record('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.record('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.record('verbose', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.record('fatal', message, rest);
  }

  private record(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push([level, message, ...rest].map(text).join(' '));
  }
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ''}`;
  return JSON.stringify(value) ?? String(value);
}

const STREAMS = ['log', 'error', 'warn', 'info', 'debug', 'trace'] as const;

describe('personal data stays out of logs and events', () => {
  const logger = new RecordingLogger();
  const written: string[] = [];
  let api: Api;

  const woman = TRACEABLE_WOMAN;
  const group = TRACEABLE_GROUP;
  /** Her registration meets a failing store, so that the error path logs. */
  const unlucky: RseBody = rseBody({ name: 'Siti Rahmah Wulandari', nik: '6472016108920007' });
  const niks = [woman.nik, ...group.members.map((member) => member.nik)];
  const names = [woman.name, unlucky.name, ...group.members.map((member) => member.name)];

  beforeAll(async () => {
    // Anything that bypasses Nest's logger and reaches the console or the process streams.
    for (const stream of [process.stdout, process.stderr]) {
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      });
    }
    for (const method of STREAMS) {
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        written.push(args.map(text).join(' '));
      });
    }

    api = await startApi({ logger });
    const send = (body: RseBody | KubeBody | string) => {
      const request = api.http.post(`${API}/recipients`).set('Authorization', bearer('operator'));
      return typeof body === 'string'
        ? request.set('Content-Type', 'application/json').send(body)
        : request.send(body);
    };

    // The successful registrations, and the refusals that carry the same personal data.
    const rseId = await register(api, woman);
    const kubeId = await register(api, group);
    await disburse(api, rseId);
    await disburse(api, kubeId);
    const refusals = await Promise.all([
      send(woman),
      send({ ...woman, nik: group.members[0].nik }),
      send(rseBody({ nik: group.members[3].nik, name: group.members[3].name })),
      send(kubeBody({ members: [...group.members.slice(1), group.members[0]] })),
      send(JSON.stringify(woman).replace(/}$/, ',}')),
      send({ ...woman, nik: `${woman.nik}9` }),
      send(kubeBody({ members: group.members.slice(0, 4) })),
    ]);
    expect(refusals.map((response) => response.status)).toEqual([
      409, 400, 409, 409, 400, 400, 400,
    ]);

    // A defect while writing the recipient: the error filter logs it, and the registration's
    // one append (her NIK claim with it) is not stored.
    const append = api.eventStore.appendToStreams.bind(api.eventStore);
    const failing = jest
      .spyOn(api.eventStore, 'appendToStreams')
      .mockImplementation((appends, options) =>
        appends.some(({ streamName }) => streamName.startsWith('recipient-'))
          ? Promise.reject(new Error('SQLITE_IOERR: disk I/O error'))
          : append(appends, options),
      );
    const before = await api.headPosition();
    const failed = await send(unlucky);
    expect(failing).toHaveBeenCalled();
    failing.mockRestore();
    expect(failed.status).toBe(500);
    expect(await api.eventsAfter(before)).toEqual([]);
  });

  afterAll(async () => {
    await api.stop();
    jest.restoreAllMocks();
  });

  it('records what the app logs (so that the checks below can see a leak)', () => {
    expect(logger.lines.some((line) => line.includes('Defined the default programme'))).toBe(true);
    expect(logger.lines.some((line) => line.includes('SQLITE_IOERR'))).toBe(true);
  });

  it('logs no NIK, no date-of-birth part of a NIK and no name', () => {
    const everything = [...logger.lines, ...written].join('\n');
    for (const nik of [...niks, unlucky.nik]) {
      expect(everything).not.toContain(nik);
      expect(everything).not.toContain(nik.slice(4, 12));
    }
    for (const name of [...names, group.groupName, woman.phone, woman.address]) {
      expect(everything).not.toContain(name);
    }
  });

  it('stores no raw NIK in any event, stream name or metadata', async () => {
    const events = await api.eventsAfter(0n);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      const stored = JSON.stringify({
        stream: event.streamName,
        data: event.data,
        metadata: event.metadata,
      });
      for (const nik of [...niks, unlucky.nik]) expect(stored).not.toContain(nik);
    }
  });

  it('stores each NIK masked: first 4 digits, 8 stars, last 4 digits', async () => {
    const registered = (await api.eventsAfter(0n)).filter(
      (event) => event.type === 'RecipientRegistered',
    );
    const masked = registered.flatMap((event) => {
      const data = event.data as { nikMasked?: string; members?: { nikMasked: string }[] };
      return data.members ? data.members.map((member) => member.nikMasked) : [data.nikMasked];
    });
    expect(masked).toEqual(niks.map(maskNik));
    expect(masked[0]).toBe('6472********0001');
    for (const value of masked) expect(value).toMatch(/^\d{4}\*{8}\d{4}$/);
  });
});
