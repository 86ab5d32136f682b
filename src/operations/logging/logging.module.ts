import { Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { appConfig, type AppConfig } from '../../config/app.config';
import { PinoNestLogger } from './nest-logger';
import { createRootLogger, ROOT_LOGGER } from './root-logger';

/**
 * Structured JSON logs: the root pino logger (LOG_LEVEL, stdout) and Nest's logger on top of it,
 * which main.ts installs with `app.useLogger`. Request lines come from observeHttp.
 */
@Global()
@Module({
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => createRootLogger(config.observability.logLevel),
    },
    {
      provide: PinoNestLogger,
      inject: [ROOT_LOGGER],
      useFactory: (logger: Logger) => new PinoNestLogger(logger),
    },
  ],
  exports: [ROOT_LOGGER, PinoNestLogger],
})
export class LoggingModule {}
