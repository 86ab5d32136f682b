import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { appConfig, parseAppConfig } from '../../src/config/app.config';

export interface TestApp {
  app: INestApplication;
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
  const app = moduleRef.createNestApplication({ logger: false });
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
