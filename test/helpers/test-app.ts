import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { APP_OPTIONS, configureApp } from '../../src/application/http/configure-app';
import { CLOCK, type Clock } from '../../src/common/clock';
import { appConfig, parseAppConfig } from '../../src/config/app.config';

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
}

/** The whole service on the embedded default, in a fresh data directory, on a free port. */
export async function startTestApp(
  env: NodeJS.ProcessEnv = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bansos-e2e-'));
  let builder = Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(appConfig.KEY)
    .useValue(parseAppConfig({ DATA_DIR: dataDir, ...env }));
  if (options.clock) builder = builder.overrideProvider(CLOCK).useValue(options.clock);
  if (options.logger) builder = builder.setLogger(options.logger);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    ...APP_OPTIONS,
    logger: options.logger ?? false,
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
