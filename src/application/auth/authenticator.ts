import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { JWT_VERIFIER, type JwtVerifier } from './jwt-verifier';
import type { Principal } from './principal';
import { tokenDigest } from './token-digest';
import { TOKEN_GRANTS, type TokenGrants } from './token-grants';

export interface Authenticated {
  principal: Principal;
  /** Hex SHA-256 of the bearer token, for rate limits keyed by token. */
  tokenDigest: string;
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
    const digest = tokenDigest(token).toString('hex');
    const granted = this.grants.find(token);
    if (granted) return { principal: granted, tokenDigest: digest };
    if (this.jwt && COMPACT_JWT.test(token)) {
      return { principal: await this.jwt.verify(token), tokenDigest: digest };
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
