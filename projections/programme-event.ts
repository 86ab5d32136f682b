import type { NikClaimEvent } from '../src/domain/nik-claim/nik-claim.events';
import type { QuotaEvent } from '../src/domain/quota/quota.events';
import type { RecipientEvent } from '../src/domain/recipient/recipient.events';
import type { StoredEvent } from '../src/platform/event-store/event-store.port';
import type { ProjectionDefinition } from '../src/platform/projection-engine/projection';

/** The programme's events as stored: metadata and position, with data typed by event type. */
export type ProgrammeEvent = Omit<StoredEvent, 'type' | 'data'> &
  (RecipientEvent | QuotaEvent | NikClaimEvent);

/** A read model of the programme's events. */
export type ProgrammeProjection<Doc extends object> = ProjectionDefinition<Doc, ProgrammeEvent>;
