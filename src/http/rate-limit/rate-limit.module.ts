import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { appConfig, type AppConfig } from '../../config/app.config';
import { FixedWindowStorage } from './fixed-window-storage';

/** The limit from RATE_LIMIT_PER_MINUTE over one-minute windows; RateLimitGuard applies it. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ ttl: 60_000, limit: config.rateLimitPerMinute }],
        storage: new FixedWindowStorage(),
      }),
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitModule {}
