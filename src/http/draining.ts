import { Injectable, Module, type BeforeApplicationShutdown } from '@nestjs/common';
import type { RequestHandler, Response } from 'express';

/**
 * On shutdown the HTTP server stops accepting connections and waits for the open ones to go idle,
 * but a keep-alive client sending request after request keeps its connection busy for ever. So,
 * from the shutdown signal on, every answer closes its connection: requests in flight and any
 * that still arrive on an open connection are answered in full, and then the connection ends.
 */
@Injectable()
export class Draining implements BeforeApplicationShutdown {
  private draining = false;
  private readonly inFlight = new Set<Response>();

  middleware(): RequestHandler {
    return (_request, response, next) => {
      if (this.draining) {
        response.shouldKeepAlive = false;
      } else {
        this.inFlight.add(response);
        response.once('close', () => this.inFlight.delete(response));
      }
      next();
    };
  }

  beforeApplicationShutdown(): void {
    this.draining = true;
    for (const response of this.inFlight) {
      if (!response.headersSent) response.shouldKeepAlive = false;
    }
  }
}

@Module({ providers: [Draining] })
export class DrainingModule {}
