import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { Injectable, Module, type BeforeApplicationShutdown } from '@nestjs/common';
import type { RequestHandler, Response } from 'express';

/**
 * How long a client may take over a request. Node's defaults (60 s for the headers, 300 s for the
 * whole request, checked every 30 s) let a few clients trickling bytes hold sockets for minutes.
 */
export const HTTP_BOUNDS = {
  /** From a request's first byte to the end of its headers; then 408 and the connection ends. */
  headersMs: 5_000,
  /** From a request's first byte to the end of its body; then 408. Not the handler's time. */
  requestMs: 10_000,
  /** An idle keep-alive connection is closed after this long. */
  keepAliveMs: 5_000,
  /** Node enforces the two timeouts above when it checks, this often. */
  checkEveryMs: 1_000,
  /** After the shutdown signal, connections still sending a request get this long, then end. */
  shutdownGraceMs: 1_000,
} as const;

/**
 * On shutdown the HTTP server stops accepting connections and waits for the open ones to go idle,
 * but a keep-alive client sending request after request keeps its connection busy for ever. So,
 * from the shutdown signal on, every answer closes its connection: requests in flight and any
 * that still arrive on an open connection are answered in full, and then the connection ends.
 * A client still sending its headers or body gets `shutdownGraceMs`; then its connection is cut,
 * as what it sends has reached no handler and so has done nothing.
 */
@Injectable()
export class Draining implements BeforeApplicationShutdown {
  private draining = false;
  private readonly inFlight = new Set<Response>();
  private readonly sockets = new Set<Socket>();
  private watching = false;

  /** Bounds the server's timeouts and tracks its connections; before `listen` (main.ts). */
  watch(server: Server): void {
    server.headersTimeout = HTTP_BOUNDS.headersMs;
    server.requestTimeout = HTTP_BOUNDS.requestMs;
    server.keepAliveTimeout = HTTP_BOUNDS.keepAliveMs;
    // Read when the server starts listening (typed as a createServer option only).
    Object.assign(server, { connectionsCheckingInterval: HTTP_BOUNDS.checkEveryMs });
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.watching = true;
  }

  middleware(): RequestHandler {
    return (_request, response, next) => {
      if (this.draining) response.shouldKeepAlive = false;
      this.inFlight.add(response);
      response.once('close', () => this.inFlight.delete(response));
      next();
    };
  }

  beforeApplicationShutdown(): void {
    this.draining = true;
    for (const response of this.inFlight) {
      if (!response.headersSent) response.shouldKeepAlive = false;
    }
    // Again every grace period: other shutdown hooks may run a while before the server stops
    // accepting connections, and slow clients may connect meanwhile.
    if (this.watching) {
      setInterval(() => this.cutSlowClients(), HTTP_BOUNDS.shutdownGraceMs).unref();
    }
  }

  /** Ends every connection but those whose request was received whole (it is being handled). */
  private cutSlowClients(): void {
    const handled = new Set<Socket>();
    for (const response of this.inFlight) {
      if (response.req.complete) handled.add(response.req.socket);
    }
    for (const socket of this.sockets) {
      if (!handled.has(socket)) socket.destroy();
    }
  }
}

@Module({ providers: [Draining] })
export class DrainingModule {}
