import { SetMetadata } from '@nestjs/common';
import type { Role } from '../../config/app.config';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';

/** The caller's token must hold one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** No token needed (health checks). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
