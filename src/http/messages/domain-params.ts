import type { DomainError } from '../../domain/domain-error';
import { NIK_PROBLEMS, type NikProblem } from '../../domain/programme/nik';
import {
  describeTextProblem,
  TEXT_PROBLEM_ORDER,
  type TextKind,
} from '../../domain/programme/text';
import type { MessageParams } from './catalogue';

const TEXT_KINDS: readonly TextKind[] = ['name', 'text', 'lines'];

/**
 * The parameters of a domain refusal's message: its field and the params it was raised with.
 * INVALID_NIK and INVALID_TEXT raised without params (call sites that predate them) name their
 * problem with the domain's own description after the field; which one it is, is found by
 * comparing with those descriptions, so their translation still says what is wrong.
 */
export function domainErrorParams(error: DomainError): MessageParams {
  const params: MessageParams = { ...(error.field ? { field: error.field } : {}), ...error.params };
  if (!error.field || params.problem !== undefined) return params;
  const prefix = `${error.field} `;
  if (!error.message.startsWith(prefix)) return params;
  const description = error.message.slice(prefix.length);
  if (error.code === 'INVALID_NIK') {
    const problem = (Object.keys(NIK_PROBLEMS) as NikProblem[]).find(
      (candidate) => NIK_PROBLEMS[candidate] === description,
    );
    return problem ? { ...params, problem } : params;
  }
  if (error.code === 'INVALID_TEXT') {
    for (const kind of TEXT_KINDS) {
      for (const problem of TEXT_PROBLEM_ORDER) {
        if (describeTextProblem(problem, kind) === description) return { ...params, problem, kind };
      }
    }
  }
  return params;
}
