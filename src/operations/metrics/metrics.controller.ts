import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res, UnauthorizedException } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { prometheusContentType } from 'prom-client';
import { ApiErrors, METRICS_SCHEME } from '../../http/api-responses';
import { Public } from '../../http/auth/roles.decorator';
import { appConfig, type AppConfig } from '../../config/app.config';
import { ServiceMetrics } from './service-metrics';

/**
 * GET /metrics in Prometheus' text format, outside the API and its tokens: open, unless
 * METRICS_TOKEN is set, when the scraper sends it as a bearer token.
 */
@ApiTags('operations')
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(
    @Inject(ServiceMetrics) private readonly metrics: ServiceMetrics,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics: counts and timings, no personal data',
    description: 'Open unless METRICS_TOKEN is set; then it is the bearer token this needs.',
  })
  // No token, or METRICS_TOKEN as a bearer token when it is set.
  @ApiSecurity({})
  @ApiSecurity(METRICS_SCHEME)
  @ApiResponse({
    status: 200,
    description: 'The Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiErrors({ 401: ['UNAUTHENTICATED'] })
  async scrape(
    @Res({ passthrough: true }) response: Response,
    @Headers('authorization') authorization?: string,
  ): Promise<string> {
    const token = this.config.observability.metricsToken;
    if (token !== null && !sameSecret(authorization ?? '', `Bearer ${token}`)) {
      throw new UnauthorizedException({
        code: 'UNAUTHENTICATED',
        message: 'GET /metrics needs the METRICS_TOKEN as a bearer token',
      });
    }
    const text = await this.metrics.registry.metrics();
    // Set only now, so that a refusal leaves as JSON.
    response.setHeader('Content-Type', prometheusContentType);
    response.setHeader('Cache-Control', 'no-store');
    return text;
  }
}

/** Compared in constant time, digests first so that lengths do not show either. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
