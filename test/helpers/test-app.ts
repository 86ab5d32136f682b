import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/application/http/configure-app';
import { appConfig, parseAppConfig } from '../../src/config/app.config';

export interface TestApp {
  app: NestExpressApplication;
  dataDir: string;
  /** Closes the app (as on SIGTERM) and removes its data directory. */
  stop(): Promise<void>;
}

/** The whole service on the embedded default, in a fresh data directory, on a free port. */
export async function startTestApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bansos-e2e-'));
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(appConfig.KEY)
    .useValue(parseAppConfig({ DATA_DIR: dataDir, ...env }))
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
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
