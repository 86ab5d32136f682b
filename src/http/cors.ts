import type { INestApplication } from '@nestjs/common';

/**
 * Browsers on these exact origins may call the API (CORS); with none, no CORS header is sent and
 * browsers keep other origins out. Credentials are bearer tokens, never cookies.
 */
export function allowCrossOrigin(app: INestApplication, origins: readonly string[]): void {
  if (origins.length === 0) return;
  app.enableCors({
    origin: [...origins],
    methods: ['GET', 'POST', 'PUT'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: [
      'Retry-After',
      'X-Request-Id',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
    ],
    maxAge: 600,
  });
}
