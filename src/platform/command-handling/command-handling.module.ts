import { Module } from '@nestjs/common';
import { appConfig, type AppConfig } from '../../config/app.config';
import { CommandRunner } from './command-runner';
import { createNikHasher, NIK_HASHER } from './nik-hasher';

/** The command runner, and the service's secret key that commands hash personal data with. */
@Module({
  providers: [
    CommandRunner,
    {
      provide: NIK_HASHER,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => createNikHasher(config),
    },
  ],
  exports: [CommandRunner, NIK_HASHER],
})
export class CommandHandlingModule {}
