import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  recipientRegistryProjection,
  type RecipientDocument,
} from './recipient-registry.projection';
import { findRecipients, type Page, type RecipientSearch } from './recipient-registry.queries';
import { notFound } from '../../src/domain/domain-error';
import { ReadModels } from '../../src/platform/projection-engine/read-models';
import { READ_STORE, type ReadStore } from '../../src/platform/read-store/read-store.port';

const { name } = recipientRegistryProjection;

export class FindRecipients extends Query<Page<RecipientDocument>> {
  constructor(
    readonly search: RecipientSearch,
    readonly minPosition: bigint | undefined,
  ) {
    super();
  }
}

export class GetRecipient extends Query<RecipientDocument> {
  constructor(
    readonly recipientId: string,
    readonly minPosition: bigint | undefined,
  ) {
    super();
  }
}

@QueryHandler(FindRecipients)
export class FindRecipientsHandler implements IQueryHandler<FindRecipients> {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ search, minPosition }: FindRecipients): Promise<Page<RecipientDocument>> {
    return this.readModels.read(name, minPosition, (collection) =>
      findRecipients(this.readStore, collection, search),
    );
  }
}

@QueryHandler(GetRecipient)
export class GetRecipientHandler implements IQueryHandler<GetRecipient> {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ recipientId, minPosition }: GetRecipient): Promise<RecipientDocument> {
    const found = await this.readModels.read(name, minPosition, (collection) =>
      this.readStore.get<RecipientDocument>(collection, recipientId),
    );
    if (!found) throw notFound('RECIPIENT_NOT_FOUND', 'No such recipient');
    return found;
  }
}
