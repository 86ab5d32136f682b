import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { APP_OPTIONS, configureApp } from '../../src/configure-app';
import { CLOCK, systemClock, type Clock } from '../../src/platform/clock';
import { LEDGER_EVENT_STORE } from '../../src/platform/event-store/create-event-store';
import { appConfig, parseAppConfig } from '../../src/config/app.config';
import { PinoNestLogger } from '../../src/operations/logging/nest-logger';
import { createRootLogger, ROOT_LOGGER } from '../../src/operations/logging/root-logger';
import { KurrentDbSemanticsEventStore } from '../doubles/kurrentdb-semantics-event-store';

/**
 * An environment variable read by this helper, not by the service: `kurrentdb-semantics` runs
 * the service over the in-memory store that behaves as KurrentDB does (test/doubles/), in place
 * of the event store its configuration names.
 */
export const TEST_EVENT_STORE = 'TEST_EVENT_STORE';

export interface TestApp {
  app: NestExpressApplication;
  dataDir: string;
  /** Closes the app (as on SIGTERM) and removes its data directory. */
  stop(): Promise<void>;
}

export interface TestAppOptions {
  /** Replaces the system clock everywhere it is injected (domain "today", metadata, staleness). */
  clock?: Clock;
  /** Receives every line Nest logs, from module compilation on; silent by default. */
  logger?: LoggerService;
  /**
   * Receives every JSON line the app logs, at every level: request lines and, unless `logger`
   * is given, Nest's lines too. Nothing is logged by default.
   */
  logs?: { write(line: string): void };
}

/** The whole service on the embedded default, in a fresh data directory, on a free port. */
export async function startTestApp(
  env: NodeJS.ProcessEnv = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bansos-e2e-'));
  const { [TEST_EVENT_STORE]: testEventStore, ...appEnv } = env;
  let builder = Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(appConfig.KEY)
    .useValue(parseAppConfig({ DATA_DIR: dataDir, ...appEnv }));
  if (options.clock) builder = builder.overrideProvider(CLOCK).useValue(options.clock);
  if (testEventStore === 'kurrentdb-semantics') {
    const clock = options.clock ?? systemClock;
    // The ledger's store, under the personal-data decorator as the configured one would be.
    builder = builder
      .overrideProvider(LEDGER_EVENT_STORE)
      .useValue(new KurrentDbSemanticsEventStore({ clock }));
  } else if (testEventStore !== undefined) {
    throw new Error(`${TEST_EVENT_STORE}=${testEventStore}: only kurrentdb-semantics is known`);
  }
  const rootLogger = options.logs
    ? createRootLogger('trace', options.logs)
    : createRootLogger('silent', { write: () => undefined });
  builder = builder.overrideProvider(ROOT_LOGGER).useValue(rootLogger);
  const logger = options.logger ?? (options.logs ? new PinoNestLogger(rootLogger) : undefined);
  if (logger) builder = builder.setLogger(logger);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    ...APP_OPTIONS,
    logger: logger ?? false,
  });
  configureApp(app);
  await app.listen(0);
  let stopped = false;
  return {
    app,
    dataDir,
    async stop() {
      if (!stopped) await app.close();
      stopped = true;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
