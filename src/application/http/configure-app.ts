import type { NestExpressApplication } from '@nestjs/platform-express';
import { createValidationPipe } from './field-errors';
import { HttpErrorFilter } from './http-error.filter';
import { serveOpenApi } from './openapi';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT = '1mb';

/** What main.ts and the e2e tests both apply to the Nest application. */
export function configureApp(app: NestExpressApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health'] });
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  serveOpenApi(app);
}
