import {
  ForbiddenException,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROLES, type Role } from '../../config/app.config';
import { Authenticator } from './authenticator';
import type { AuthenticatedRequest } from './principal';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/**
 * Every route needs a bearer token (401) holding one of the route's roles (403), unless @Public.
 * A token that holds none of the service's roles at all (a JWT can) is refused everywhere.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { principal } = await this.authenticator.authenticate(request);
    request.principal = principal;

    if (principal.roles.length === 0) {
      throw new ForbiddenException({
        code: 'FORBIDDEN',
        message: `The bearer token holds none of the roles ${ROLES.join(', ')}`,
      });
    }
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
