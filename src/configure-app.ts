import type { NestExpressApplication } from '@nestjs/platform-express';
import { appConfig, type AppConfig } from './config/app.config';
import { observeHttp } from './operations/http-observability';
import { authenticateBeforeBody } from './http/auth/authenticate-before-body';
import { Authenticator } from './http/auth/authenticator';
import { allowCrossOrigin } from './http/cors';
import { Draining } from './http/draining';
import { createValidationPipe } from './http/field-errors';
import { HttpErrorFilter } from './http/http-error.filter';
import { jsonBody } from './http/json-body';
import { serveOpenApi } from './http/openapi';
import { securityHeaders } from './http/security-headers';
import { UndeclaredQueryInterceptor } from './http/undeclared-query';

export const API_PREFIX = 'api/v1';

/** Probes, metrics and the dashboard keep their paths outside the versioned API. */
export const UNPREFIXED_ROUTES = [
  'health',
  'health/live',
  'health/ready',
  'metrics',
  'dashboard{/*asset}',
] as const;

/** Options for NestFactory.create: the JSON body parser is ours (see configureApp). */
export const APP_OPTIONS = { bodyParser: false };

/** What main.ts and the e2e tests both apply to the Nest application. */
export function configureApp(app: NestExpressApplication): void {
  const config = app.get<AppConfig>(appConfig.KEY);
  app.setGlobalPrefix(API_PREFIX, { exclude: [...UNPREFIXED_ROUTES] });
  app.use(app.get(Draining).middleware());
  app.use(...observeHttp(app));
  app.use(securityHeaders());
  allowCrossOrigin(app, config.corsOrigins);
  app.use(authenticateBeforeBody(app.get(Authenticator)));
  app.use(...jsonBody(config.bodyLimitBytes));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new UndeclaredQueryInterceptor());
  app.useGlobalFilters(new HttpErrorFilter());
  serveOpenApi(app);
}
