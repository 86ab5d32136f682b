import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { appConfig, type AppConfig } from '../../config/app.config';
import { AuthGuard } from './auth.guard';
import { loadTokenGrants, TOKEN_GRANTS } from './token-grants';

/** Bearer-token authentication and role checks on every route. */
@Module({
  providers: [
    {
      provide: TOKEN_GRANTS,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => loadTokenGrants(config),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AuthModule {}
