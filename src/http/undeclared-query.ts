import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { InvalidInputException } from './field-errors';

/** Methods that change something: their input is the body, which is validated field by field. */
const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A command whose route declares no query parameters refuses any it is sent (400, each named),
 * as its body refuses unknown fields. Nest would drop them unread, so a NIK put in the URL of a
 * correction would be accepted there, and kept in every proxy's access log on the way.
 */
@Injectable()
export class UndeclaredQueryInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const names = Object.keys(request.query ?? {});
    if (names.length === 0 || !COMMAND_METHODS.has(request.method) || declaresQuery(context)) {
      return next.handle();
    }
    throw new InvalidInputException(
      names.map((field) => ({
        field,
        rule: 'whitelistValidation',
        message: `${field} is not a known field`,
      })),
    );
  }
}

/** Whether the handler takes `@Query()` (Nest keys its route arguments `<paramtype>:<index>`). */
function declaresQuery(context: ExecutionContext): boolean {
  const args = (Reflect.getMetadata(
    ROUTE_ARGS_METADATA,
    context.getClass(),
    context.getHandler().name,
  ) ?? {}) as Record<string, unknown>;
  return Object.keys(args).some((key) => Number(key.split(':')[0]) === RouteParamtypes.QUERY);
}
