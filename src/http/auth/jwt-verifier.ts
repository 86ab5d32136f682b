import { ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyOptions,
  type JWTVerifyResult,
} from 'jose';
import { ROLES, type JwtConfig, type Role } from '../../config/app.config';
import type { Principal } from './principal';

export const JWT_VERIFIER = Symbol('JwtVerifier');

/** What identity providers sign with; HS256 only with the configured secret, never from a JWKS. */
const ASYMMETRIC = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'EdDSA',
];

/**
 * JWT bearer tokens, verified against the identity provider's JWKS (fetched and cached by jose)
 * or a shared secret. The actor and the roles come from configured claims; roles this service
 * does not know are ignored.
 */
export class JwtVerifier {
  private readonly verifySignature: (token: string) => Promise<JWTVerifyResult>;

  constructor(private readonly config: JwtConfig) {
    const options: JWTVerifyOptions = {
      // A token without an expiry would be good for ever once issued.
      requiredClaims: ['exp'],
      ...(config.issuer ? { issuer: config.issuer } : {}),
      ...(config.audience ? { audience: config.audience } : {}),
    };
    if (config.keys.kind === 'jwks') {
      const jwks = createRemoteJWKSet(new URL(config.keys.url));
      this.verifySignature = (token) =>
        jwtVerify(token, jwks, { ...options, algorithms: ASYMMETRIC });
    } else {
      const secret = new TextEncoder().encode(config.keys.secret);
      this.verifySignature = (token) =>
        jwtVerify(token, secret, { ...options, algorithms: ['HS256'] });
    }
  }

  /** Rejects with 401 naming what is wrong with the token, or 503 when the JWKS cannot be had. */
  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await this.verifySignature(token));
    } catch (error) {
      throw refusal(error);
    }
    const actor = claimAt(payload, this.config.actorClaim);
    if (typeof actor !== 'string' || actor.trim() === '') {
      throw unauthenticated(
        `The bearer token has no ${this.config.actorClaim} claim naming the caller`,
      );
    }
    return { actor, roles: rolesIn(claimAt(payload, this.config.rolesClaim)) };
  }
}

/** `realm_access.roles` → payload.realm_access.roles; own properties only. */
function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** An array of role names, or one string of them separated by spaces (as OAuth scopes are). */
function rolesIn(claim: unknown): Role[] {
  const names = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/\s+/) : [];
  return ROLES.filter((role) => names.includes(role));
}

function refusal(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return unauthenticated('The bearer token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') {
      return unauthenticated(`The bearer token has no ${error.claim} claim; it must have one`);
    }
    return unauthenticated(
      error.claim === 'nbf'
        ? 'The bearer token is not valid yet'
        : `The bearer token's ${error.claim} claim is not accepted here`,
    );
  }
  if (error instanceof errors.JWKSTimeout || isJwksFetchFailure(error)) {
    return new ServiceUnavailableException({
      code: 'AUTH_UNAVAILABLE',
      message: 'The keys of the identity provider cannot be fetched; retry shortly',
    });
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return unauthenticated('The bearer token signature does not verify');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return unauthenticated(
      'The bearer token is signed with a key the identity provider does not list',
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return unauthenticated('The bearer token is signed with an algorithm not accepted here');
  }
  return unauthenticated('The bearer token is not a valid JWT');
}

/**
 * An endpoint that does not answer fails with a system error (ECONNREFUSED, ENOTFOUND, …, not
 * Node's own ERR_ codes); one that answers badly with a JWKSInvalid or a plain JOSEError (its
 * token errors have codes of their own).
 */
function isJwksFetchFailure(error: unknown): boolean {
  if (error instanceof errors.JWKSInvalid) return true;
  if (error instanceof errors.JOSEError) return error.code === errors.JOSEError.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('E') && !code.startsWith('ERR_');
}

function unauthenticated(message: string): UnauthorizedException {
  return new UnauthorizedException({ code: 'UNAUTHENTICATED', message });
}
