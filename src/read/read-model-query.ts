import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '../platform/read-store/read-store.port';
import { ReadModels } from './read-models';

/** How a route reads its read model: a query over the collection that serves it now. */
export type Read<Result> = (store: ReadStore, collection: string) => Promise<Result>;

/**
 * A read of one projection's read model, once it has applied the event at `minPosition`. Every
 * route dispatches this one query: the read itself is the projection's own query function.
 */
export class ReadModelQuery<Result> extends Query<Result> {
  constructor(
    readonly projection: string,
    readonly minPosition: bigint | undefined,
    readonly read: Read<Result>,
  ) {
    super();
  }
}

@QueryHandler(ReadModelQuery)
export class ReadModelQueryHandler implements IQueryHandler<ReadModelQuery<unknown>> {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  execute({ projection, minPosition, read }: ReadModelQuery<unknown>): Promise<unknown> {
    return this.readModels.read(projection, minPosition, (collection) =>
      read(this.readStore, collection),
    );
  }
}
