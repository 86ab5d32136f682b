import {
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { appConfig, type AppConfig } from '../../config/app.config';
import { Authenticator } from '../auth/authenticator';
import { API_PREFIX } from '../../configure-app';

/**
 * Requests to the API per minute, counted per bearer token (by its digest) across all routes, and
 * per client IP for requests without a valid token. Health checks, metrics and the docs are not
 * limited. Over the limit: 429 with Retry-After in seconds.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly authenticator: Authenticator,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    // Routes match whatever the case (/API/v1/… reaches the same handler), so the test must too.
    const underApi = request.path.toLowerCase().startsWith(`/${API_PREFIX}/`);
    return this.config.rateLimitPerMinute === 0 || !underApi;
  }

  protected override async getTracker(request: Request): Promise<string> {
    try {
      return (await this.authenticator.authenticate(request)).caller;
    } catch {
      return `ip:${await super.getTracker(request)}`;
    }
  }

  /** One count per caller for the whole API, not one per route. */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    { limit, timeToBlockExpire }: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new HttpException(
      {
        code: 'RATE_LIMITED',
        message: `More than ${limit} requests a minute from this caller; retry in ${timeToBlockExpire} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
