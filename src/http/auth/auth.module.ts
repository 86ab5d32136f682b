import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { appConfig, type AppConfig } from '../../config/app.config';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { AuthGuard } from './auth.guard';
import { Authenticator } from './authenticator';
import { JWT_VERIFIER, JwtVerifier } from './jwt-verifier';
import { loadTokenGrants, TOKEN_GRANTS } from './token-grants';

/**
 * Bearer-token authentication (static tokens, JWT), rate limits and role checks on every route.
 * Global guards run in the order provided here: the rate limit first, so that requests without
 * a valid token are limited too (by client IP), then the roles.
 */
@Module({
  imports: [RateLimitModule],
  providers: [
    {
      provide: TOKEN_GRANTS,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => loadTokenGrants(config),
    },
    {
      provide: JWT_VERIFIER,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => (config.jwt ? new JwtVerifier(config.jwt) : null),
    },
    Authenticator,
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AuthModule {}
