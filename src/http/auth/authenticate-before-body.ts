import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { carriesBody } from '../json-body';
import type { Authenticator } from './authenticator';

/**
 * A request that carries a body is authenticated before the body is read: an anonymous one is
 * answered 401 unread (and its connection closed), so that reading and parsing bodies is work
 * done only for callers holding a token. No public route takes a body.
 */
export function authenticateBeforeBody(authenticator: Authenticator): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (!carriesBody(request)) return next();
    authenticator.authenticate(request).then(
      () => next(),
      (error: unknown) => {
        response.setHeader('Connection', 'close');
        next(error);
      },
    );
  };
}
