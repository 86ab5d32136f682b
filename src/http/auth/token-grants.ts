import { randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { ROLES, type AppConfig, type TokenGrant } from '../../config/app.config';
import { readOrCreateSecretFile } from '../../config/local-secret-file';
import type { Principal } from './principal';
import { tokenDigest } from './token-digest';

export const TOKEN_GRANTS = Symbol('TokenGrants');

/**
 * The static bearer tokens the service accepts. Tokens are compared by their SHA-256 digests in
 * constant time, and every grant is compared, so timing tells nothing about how close a guess was.
 */
export class TokenGrants {
  private readonly grants: { digest: Buffer; principal: Principal }[];

  constructor(grants: TokenGrant[]) {
    this.grants = grants.map(({ token, actor, roles }) => ({
      digest: tokenDigest(token),
      principal: { actor, roles },
    }));
  }

  find(token: string): Principal | undefined {
    const candidate = tokenDigest(token);
    let found: Principal | undefined;
    for (const grant of this.grants) {
      if (timingSafeEqual(grant.digest, candidate)) found = grant.principal;
    }
    return found;
  }
}

/**
 * AUTH_TOKENS; none when only JWT is configured; otherwise (trying the service) one generated
 * token per role in DATA_DIR/dev-tokens.json.
 */
export function loadTokenGrants(config: AppConfig): TokenGrants {
  if (config.authTokens) return new TokenGrants(config.authTokens);
  if (config.jwt) return new TokenGrants([]);
  const file = join(config.dataDir, 'dev-tokens.json');
  const { content, created } = readOrCreateSecretFile(file, () =>
    JSON.stringify(
      ROLES.map((role) => ({
        token: randomBytes(24).toString('base64url'),
        actor: `dev-${role}`,
        roles: [role],
      })),
      null,
      2,
    ),
  );
  new Logger('Auth').log(
    `${created ? 'Wrote' : 'Using'} development tokens, one per role, in ${file} (set AUTH_TOKENS to replace them)`,
  );
  return new TokenGrants(JSON.parse(content) as TokenGrant[]);
}
