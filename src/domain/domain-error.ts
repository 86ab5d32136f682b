/**
 * Why the domain refused a command. The HTTP layer maps `kind` to a status: `invalid` → 400,
 * `not_found` → 404, `rule` → 409; `code` is the machine-readable reason clients switch on.
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'rule';

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    /** The request field the refusal is about, where there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export const invalid = (code: string, message: string, field?: string): DomainError =>
  new DomainError('invalid', code, message, field);

export const notFound = (code: string, message: string): DomainError =>
  new DomainError('not_found', code, message);

export const ruleViolated = (code: string, message: string, field?: string): DomainError =>
  new DomainError('rule', code, message, field);
