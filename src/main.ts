import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { APP_OPTIONS, configureApp } from './application/http/configure-app';
import { appConfig, parseAppConfig, type AppConfig } from './config/app.config';
import { EVENT_STORE, type EventStore } from './event-store/event-store.port';

async function bootstrap(): Promise<void> {
  // Validate first, so a bad variable stops start-up with one plain message.
  parseAppConfig(process.env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, APP_OPTIONS);
  configureApp(app);
  // SIGTERM/SIGINT: stop taking requests, let in-flight ones finish, then close the stores.
  app.enableShutdownHooks();
  const config = app.get<AppConfig>(appConfig.KEY);
  const eventStore = app.get<EventStore>(EVENT_STORE);
  await app.listen(config.port);
  const where = config.eventStore.kind === 'sqlite' ? config.eventStore.file : 'KurrentDB';
  new Logger('Bootstrap').log(
    `Listening on port ${config.port}; events in ${eventStore.adapter} (${where})`,
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
