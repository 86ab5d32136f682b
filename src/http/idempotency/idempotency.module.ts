import { Module } from '@nestjs/common';
import { CommandHandlingModule } from '../../platform/command-handling/command-handling.module';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyInterceptor } from './idempotency.interceptor';

@Module({
  imports: [CommandHandlingModule],
  providers: [{ provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
})
export class IdempotencyModule {}
