import type {
  Condition,
  Filter,
  FindOptions,
  ReadStore,
  SortKey,
} from '../../src/platform/read-store/read-store.port';
import type { Page } from '../../src/read/page';
import type {
  FormerMember,
  RecipientDocument,
  RegistryMember,
} from './recipient-registry.projection';
import { foldedWords } from './recipient-registry.search';

/**
 * The orders a list can be asked in; each ends in the order of registration, so that a page
 * never shifts: `registered` (oldest first, the default), `-registered` (newest first), `name`
 * (folded, A to Z) and `regency` (Kemendagri code order, 64.01 Paser to 64.74 Bontang).
 */
export const RECIPIENT_SORTS = ['registered', '-registered', 'name', 'regency'] as const;
export type RecipientSort = (typeof RECIPIENT_SORTS)[number];

const BY_REGISTRATION: SortKey = { field: 'registeredPosition', direction: 'asc' };

const SORT_KEYS: Record<RecipientSort, SortKey[]> = {
  registered: [BY_REGISTRATION],
  '-registered': [{ field: 'registeredPosition', direction: 'desc' }],
  name: [{ field: 'sortName', direction: 'asc' }, BY_REGISTRATION],
  regency: [{ field: 'regencyCode', direction: 'asc' }, BY_REGISTRATION],
};

export interface RecipientFilters {
  /** A fragment of a name: each word of it must begin a word of the name or a member's name. */
  q?: string;
  regencyCode?: string;
  kind?: string;
  status?: string;
  standing?: string;
  /** The year of the aid the recipient holds (or held, when reversed). */
  year?: number;
}

export interface RecipientSearch extends RecipientFilters {
  sort?: RecipientSort;
  limit: number;
  offset: number;
}

/** The read-store filter of a search; every field it names is an index of the registry. */
export function recipientFilter(search: RecipientFilters): Filter {
  const filter: Record<string, Condition | Condition[]> = {};
  for (const field of ['regencyCode', 'kind', 'status', 'standing'] as const) {
    const value = search[field];
    if (value !== undefined) filter[field] = value;
  }
  if (search.year !== undefined) filter['disbursement.year'] = search.year;
  if (search.q !== undefined) {
    filter['searchTokens[]'] = [...new Set(foldedWords(search.q))].map((word) => ({
      startsWith: word,
    }));
  }
  return filter;
}

/** The read-store find of a search: its filter, its order, its page. */
export function recipientFindOptions(search: RecipientSearch): FindOptions {
  return {
    filter: recipientFilter(search),
    sort: SORT_KEYS[search.sort ?? 'registered'],
    limit: search.limit,
    offset: search.offset,
  };
}

/** The read-store find of a NIK lookup. */
export const nikLookupOptions = (nikHash: string): FindOptions => ({
  filter: { 'nikHashes[]': nikHash },
  sort: { field: 'registeredPosition', direction: 'desc' },
  limit: 1,
});

/** Recipients matching the search, a page of them in the order asked, with their total. */
export async function findRecipients(
  readStore: ReadStore,
  collection: string,
  search: RecipientSearch,
): Promise<Page<RecipientDocument>> {
  const options = recipientFindOptions(search);
  const [items, total] = await Promise.all([
    readStore.find<RecipientDocument>(collection, options),
    readStore.count(collection, options.filter),
  ]);
  return { items, total, limit: search.limit, offset: search.offset };
}

/** How many recipients match the filters: what a viewer may know of the registry. */
export function countRecipients(
  readStore: ReadStore,
  collection: string,
  filters: RecipientFilters,
): Promise<number> {
  return readStore.count(collection, recipientFilter(filters));
}

/** Who holds a NIK in a recipient's record: the woman herself, a member, or a former member. */
export type NikHolder =
  | { as: 'RECIPIENT'; name: string; nikMasked: string }
  | { as: 'MEMBER'; name: string; nikMasked: string; role: RegistryMember['role'] }
  | {
      as: 'FORMER_MEMBER';
      name: string;
      nikMasked: string;
      role: RegistryMember['role'];
      departure: FormerMember['departure'];
      leftOn: string;
    };

/**
 * The recipient holding the NIK whose keyed hash is given, and who in her record holds it; null
 * when nobody does. A NIK is claimed by one registration at most, so one recipient answers; were
 * there ever two, the latest registration would.
 */
export async function recipientHoldingNik(
  readStore: ReadStore,
  collection: string,
  nikHash: string,
): Promise<{ recipient: RecipientDocument; holder: NikHolder } | null> {
  const [recipient] = await readStore.find<RecipientDocument>(
    collection,
    nikLookupOptions(nikHash),
  );
  if (!recipient) return null;
  const member = recipient.members?.find((candidate) => candidate.nikHash === nikHash);
  if (member) {
    const { name, nikMasked, role } = member;
    return { recipient, holder: { as: 'MEMBER', name, nikMasked, role } };
  }
  const former = recipient.formerMembers.find((candidate) => candidate.nikHash === nikHash);
  if (former) {
    const { name, nikMasked, role, departure, leftOn } = former;
    return {
      recipient,
      holder: { as: 'FORMER_MEMBER', name, nikMasked, role, departure, leftOn },
    };
  }
  return {
    recipient,
    holder: { as: 'RECIPIENT', name: recipient.name, nikMasked: recipient.maskedNiks[0] ?? '' },
  };
}

/** A member as the routes show her: without the hash that finds her. */
export type MemberView = Omit<RegistryMember, 'nikHash'>;
export type FormerMemberView = Omit<FormerMember, 'nikHash'>;

/**
 * A recipient as the routes answer her: never the search words, sort name or NIK hashes, and
 * the phone number only to a caller who may see it (`phone` is then present, possibly null).
 */
export type RecipientView = Omit<
  RecipientDocument,
  'searchTokens' | 'sortName' | 'nikHashes' | 'members' | 'formerMembers' | 'phone'
> & {
  members: MemberView[] | null;
  formerMembers: FormerMemberView[];
  phone?: string | null;
};

export function recipientView(
  document: RecipientDocument,
  { withPhone }: { withPhone: boolean },
): RecipientView {
  const {
    searchTokens: _tokens,
    sortName: _sortName,
    nikHashes: _hashes,
    members,
    formerMembers,
    phone,
    ...shown
  } = document;
  return {
    ...shown,
    members: members?.map(({ nikHash: _hash, ...member }) => member) ?? null,
    formerMembers: formerMembers.map(({ nikHash: _hash, ...member }) => member),
    ...(withPhone ? { phone } : {}),
  };
}
