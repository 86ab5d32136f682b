/**
 * Why the domain refused a command. The HTTP layer maps `kind` to a status: `invalid` → 400,
 * `not_found` → 404, `rule` → 409; `code` is the machine-readable reason clients switch on.
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'rule';

/**
 * The values the message is made of (which problem, a limit, a unit…), so that it can be said
 * again in another language from the code; never personal data (a NIK, a name).
 */
export type DomainErrorParams = Readonly<Record<string, string | number | boolean>>;

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    /** The request field the refusal is about, where there is one. */
    readonly field?: string,
    readonly params?: DomainErrorParams,
  ) {
    super(message);
  }
}

export const invalid = (
  code: string,
  message: string,
  field?: string,
  params?: DomainErrorParams,
): DomainError => new DomainError('invalid', code, message, field, params);

export const notFound = (code: string, message: string, params?: DomainErrorParams): DomainError =>
  new DomainError('not_found', code, message, undefined, params);

export const ruleViolated = (
  code: string,
  message: string,
  field?: string,
  params?: DomainErrorParams,
): DomainError => new DomainError('rule', code, message, field, params);
