import { PROJECTIONS } from '../../projections';
import { UsageError } from './command-line';

/** The projections a command may name, for its usage. */
export const PROJECTION_NAMES = PROJECTIONS.map((definition) => definition.name).join(', ');

/** The projection a command line names; none, or one that does not exist, is a usage error. */
export function namedProjection(
  name: string | undefined,
  usage: string,
): (typeof PROJECTIONS)[number] {
  const definition = PROJECTIONS.find((candidate) => candidate.name === name);
  if (!definition) {
    throw new UsageError(
      name === undefined ? 'No projection given' : `Unknown projection "${name}"`,
      usage,
    );
  }
  return definition;
}
