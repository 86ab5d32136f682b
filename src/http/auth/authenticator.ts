import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { JWT_VERIFIER, type JwtVerifier } from './jwt-verifier';
import type { Principal } from './principal';
import { tokenDigest } from './token-digest';
import { TOKEN_GRANTS, type TokenGrants } from './token-grants';

export interface Authenticated {
  principal: Principal;
  /**
   * Whom the rate limit counts: a static token by its SHA-256 (never the token itself); a JWT by
   * its actor, since an identity provider mints a new token for the same caller every few minutes.
   */
  caller: string;
}

/** Three dot-separated base64url parts: a compact JWS (an unsecured one has no signature). */
const COMPACT_JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * Who a request comes from: its bearer token is one of the static tokens or a JWT that verifies.
 * Each request is authenticated once, however many guards ask (the rate limit, then the roles).
 */
@Injectable()
export class Authenticator {
  private readonly results = new WeakMap<Request, Promise<Authenticated>>();

  constructor(
    @Inject(TOKEN_GRANTS) private readonly grants: TokenGrants,
    @Inject(JWT_VERIFIER) private readonly jwt: JwtVerifier | null,
  ) {}

  /** Rejects with 401 (no valid token) or 503 (the identity provider's keys cannot be fetched). */
  authenticate(request: Request): Promise<Authenticated> {
    let result = this.results.get(request);
    if (!result) {
      result = this.resolve(request.headers.authorization);
      this.results.set(request, result);
    }
    return result;
  }

  private async resolve(header: string | undefined): Promise<Authenticated> {
    const [scheme, token] = (header ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw unauthenticated();
    const granted = this.grants.find(token);
    if (granted) {
      return { principal: granted, caller: `token:${tokenDigest(token).toString('hex')}` };
    }
    if (this.jwt && COMPACT_JWT.test(token)) {
      const principal = await this.jwt.verify(token);
      return { principal, caller: `actor:${principal.actor}` };
    }
    throw unauthenticated();
  }
}

function unauthenticated(): UnauthorizedException {
  return new UnauthorizedException({
    code: 'UNAUTHENTICATED',
    message: 'A valid bearer token is required',
  });
}
