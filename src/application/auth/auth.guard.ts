import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../../config/app.config';
import type { AuthenticatedRequest } from './principal';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { TOKEN_GRANTS, type TokenGrants } from './token-grants';

/** Every route needs a bearer token (401) holding one of the route's roles (403), unless @Public. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_GRANTS) private readonly grants: TokenGrants,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    const principal = scheme === 'Bearer' && token ? this.grants.find(token) : undefined;
    if (!principal) {
      throw new UnauthorizedException({
        code: 'UNAUTHENTICATED',
        message: 'A valid bearer token is required',
      });
    }
    request.principal = principal;

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (required.length > 0 && !required.some((role) => principal.roles.includes(role))) {
      throw new ForbiddenException({
        code: 'FORBIDDEN',
        message: `This needs the role ${required.join(' or ')}`,
      });
    }
    return true;
  }
}
