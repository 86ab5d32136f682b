import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's headers on every response. The content security policy allows only this origin's
 * scripts, styles and images, which is what the API docs (Swagger UI) and the dashboard load;
 * Swagger UI also writes inline styles and data: images. No page of the service may be framed.
 * Requests are not upgraded to https: TLS, where used, ends at the proxy in front of the service.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    frameguard: { action: 'deny' },
  });
}
