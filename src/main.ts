import './supported-node';
import 'reflect-metadata';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { APP_OPTIONS, configureApp } from './configure-app';
import { appConfig, parseAppConfig, type AppConfig } from './config/app.config';
import { Draining } from './http/draining';
import { EVENT_STORE, type EventStore } from './platform/event-store/event-store.port';
import { loosenedPaths, loosenedWarning, privatePaths } from './platform/private-files';
import { PinoNestLogger } from './operations/logging/nest-logger';
import { ProjectorModule } from './projector.module';

async function bootstrap(): Promise<void> {
  // Whatever this process creates (stores, keys, tokens, folders) is its owner's only; the stores
  // and secret files are also created so explicitly, for the CLIs and library use.
  process.umask(0o077);
  // Validate first, so a bad variable stops start-up with one plain message.
  const config = parseAppConfig(process.env);
  if (config.process.role === 'projector') await startProjector();
  else await startApi();
}

/** PROCESS_ROLE all (the default): the API and the projections; api: the API only. */
async function startApi(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    ...APP_OPTIONS,
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoNestLogger));
  configureApp(app);
  // Timeouts against slow clients, and their connections cut on shutdown (src/http/draining.ts).
  app.get(Draining).watch(app.getHttpServer());
  // SIGTERM/SIGINT: stop taking requests, let in-flight ones finish, close the stores, exit 0.
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  const config = app.get<AppConfig>(appConfig.KEY);
  await app.listen(config.port);
  new Logger('Bootstrap').log(
    `Listening on port ${config.port} (process role ${config.process.role}); ${storesOf(app)}`,
  );
  warnOfLoosenedFiles(config);
}

/** PROCESS_ROLE=projector: the projections only, without an HTTP server. */
async function startProjector(): Promise<void> {
  const app = await NestFactory.createApplicationContext(ProjectorModule, { bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  // SIGTERM/SIGINT: commit the batch in hand, give the projection lease up, close the stores,
  // then exit 0 (as PID 1 in a container a re-raised signal would be ignored).
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  new Logger('Bootstrap').log(`Projector running (process role projector); ${storesOf(app)}`);
  warnOfLoosenedFiles(app.get<AppConfig>(appConfig.KEY));
}

/** A warning, never a refusal: the operator may have a reason, but should know. */
function warnOfLoosenedFiles(config: AppConfig): void {
  const logger = new Logger('Files');
  for (const loosened of loosenedPaths(privatePaths(config))) {
    logger.warn(loosenedWarning(loosened));
  }
}

function storesOf(app: INestApplicationContext): string {
  const config = app.get<AppConfig>(appConfig.KEY);
  const eventStore = app.get<EventStore>(EVENT_STORE);
  const where = config.eventStore.kind === 'sqlite' ? config.eventStore.file : 'KurrentDB';
  return `events in ${eventStore.adapter} (${where})`;
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
