import type { AidKind } from '../../src/domain/programme/aid-programme';
import { findRegency } from '../../src/domain/programme/regencies';
import type {
  AidForm,
  BusinessStatus,
  Challenge,
  MemberRole,
} from '../../src/domain/recipient/recipient.commands';
import type {
  DetailChange,
  MemberDeparture,
  StoredNik,
} from '../../src/domain/recipient/recipient.events';
import { ERASED_TEXT } from '../../src/platform/personal-data/personal-data';
import type { ProgrammeProjection } from '../programme-event';
import { searchTokensOf, sortNameOf } from './recipient-registry.search';

/** A KUBe member as the registry keeps her: the keyed hash of her NIK finds her, never shown. */
export interface RegistryMember {
  name: string;
  role: MemberRole;
  nikMasked: string;
  nikHash: string;
}

/** A member who died or left the group, replaced by another; her NIK stays claimed by the group. */
export interface FormerMember extends RegistryMember {
  departure: MemberDeparture;
  leftOn: string;
}

export const STANDINGS = ['active', 'deceased', 'withdrawn'] as const;
export type Standing = (typeof STANDINGS)[number];

export const STATUSES = ['registered', 'aided', 'reversed'] as const;

/**
 * The registry screen: one document per recipient, as she stands now (corrections and life
 * events applied). Names (the screen and its search need them), masked NIKs and the phone number
 * (monitors call the women; the routes show it to the roles that do) are kept; addresses and
 * the reasons given for a death, a move or a withdrawal stay in the events.
 *
 * `searchTokens`, `sortName` and `nikHashes` serve the search and the NIK lookup, and the
 * members' `nikHash` finds a member a correction names: the routes never answer them. The NIK
 * hashes are the keyed hashes the events carry (HMAC with the service's key), never a NIK.
 *
 * A person whose data was erased reads ERASED_TEXT in her name (and phone), as a replay of the
 * events with her key destroyed would read them, and her name gives no search words.
 */
export interface RecipientDocument {
  recipientId: string;
  kind: AidKind;
  /** Where she lives now: her latest move's regency, else the one she registered in. */
  regencyCode: string;
  regencyName: string;
  /** The regency she left on her latest move; null when she never moved. */
  movedFrom: { regencyCode: string; regencyName: string; movedOn: string } | null;
  /** The woman's name, or the KUBe's group name, as last corrected. */
  name: string;
  businessType: string;
  /** The current NIKs (the woman's, or the current members' in member order), masked. */
  maskedNiks: string[];
  members: RegistryMember[] | null;
  /** KUBe members replaced so far (empty for a woman): rare, so the list stays short. */
  formerMembers: FormerMember[];
  /** The woman's phone number, if she gave one; null for a KUBe. */
  phone: string | null;
  standing: Standing;
  /** The day she died or withdrew; null while active. */
  standingOn: string | null;
  status: (typeof STATUSES)[number];
  registeredAt: string;
  /** The position of the registration: the registry's order, even within one millisecond. */
  registeredPosition: number;
  disbursement: {
    disbursementId: string;
    year: number;
    form: AidForm;
    valueRupiah: number;
    disbursedOn: string;
    reversedOn: string | null;
    reversalReason: string | null;
  } | null;
  latestMonitoring: {
    visitDate: string;
    businessStatus: BusinessStatus;
    monthlyTurnoverRupiah: number;
    workers: number;
    workersFromPoorHouseholds: number;
    challenges: Challenge[];
  } | null;
  mentoringCount: number;
  exhibitionCount: number;
  /** The folded words of the name and, for a KUBe, of its current members' names; none erased. */
  searchTokens: string[];
  /** The name folded, to sort by. */
  sortName: string;
  /** The keyed hashes of every NIK the recipient holds a claim on (former members' included). */
  nikHashes: string[];
}

const regencyNameOf = (code: string) => findRegency(code)?.name ?? code;

/** The fields computed from the others: never set on their own. */
type Derived = 'searchTokens' | 'sortName' | 'nikHashes' | 'maskedNiks';

/** What the derived fields are computed from: the document without them, and her own NIK. */
type Basis = Omit<RecipientDocument, Derived> & { ownNik: StoredNik | null };

/**
 * The document with its derived fields computed from its name, NIK and members: the one place
 * that keeps the search, the sort and the NIK lookup in step with corrections.
 */
function derived({ ownNik, ...basis }: Basis): RecipientDocument {
  const members = basis.members ?? [];
  const current = ownNik ? [ownNik] : members;
  return {
    ...basis,
    maskedNiks: current.map((nik) => nik.nikMasked),
    searchTokens: searchTokensOf(
      [basis.name, ...members.map((member) => member.name)].filter((name) => name !== ERASED_TEXT),
    ),
    sortName: sortNameOf(basis.name),
    nikHashes: [...new Set([...current, ...basis.formerMembers].map((nik) => nik.nikHash))],
  };
}

/** The woman's own NIK: the first (and only) one the document holds for her. */
function ownNikOf(document: RecipientDocument): StoredNik | null {
  if (document.kind !== 'RSE') return null;
  const [nikHash, nikMasked] = [document.nikHashes[0], document.maskedNiks[0]];
  return nikHash === undefined || nikMasked === undefined ? null : { nikHash, nikMasked };
}

/** The document with `change` applied and its derived fields computed again. */
function changed(document: RecipientDocument, change: Partial<Basis>): RecipientDocument {
  const {
    searchTokens: _tokens,
    sortName: _sort,
    nikHashes: _hashes,
    maskedNiks: _masked,
    ...kept
  } = document;
  return derived({ ...kept, ownNik: ownNikOf(document), ...change });
}

function corrected(
  document: RecipientDocument,
  changes: readonly DetailChange[],
): RecipientDocument {
  let next = document;
  for (const { field, after, memberNikHash } of changes) {
    switch (field) {
      case 'name':
      case 'groupName':
        if (after !== null) next = changed(next, { name: after });
        break;
      case 'businessType':
        if (after !== null) next = changed(next, { businessType: after });
        break;
      case 'phone':
        next = changed(next, { phone: after });
        break;
      case 'memberName':
        if (after !== null && next.members)
          next = changed(next, {
            members: next.members.map((member) =>
              member.nikHash === memberNikHash ? { ...member, name: after } : member,
            ),
          });
        break;
      case 'address':
        // Not kept: no screen of the registry shows an address.
        break;
    }
  }
  return next;
}

/**
 * The document with the erased person's data replaced by ERASED_TEXT: what a replay reads once
 * her keys are destroyed. One member (found by the keyed hash of her NIK, among the current and
 * the former members), or the whole recipient: the woman's name and phone, or the KUBe's group
 * name and every member's. A phone never given stays null, as it does in a replay.
 */
function erased(document: RecipientDocument, memberNikHash?: string): RecipientDocument {
  const isErased = (member: RegistryMember) =>
    memberNikHash === undefined || member.nikHash === memberNikHash;
  const erase = <Member extends RegistryMember>(member: Member): Member =>
    isErased(member) ? { ...member, name: ERASED_TEXT } : member;
  const whole = memberNikHash === undefined;
  return changed(document, {
    name: whole ? ERASED_TEXT : document.name,
    phone: whole && document.phone !== null ? ERASED_TEXT : document.phone,
    members: document.members?.map(erase) ?? null,
    formerMembers: document.formerMembers.map(erase),
  });
}

export const recipientRegistryProjection: ProgrammeProjection<RecipientDocument> = {
  name: 'recipient-registry',
  // 2: current details after corrections and life events, standing, search words, NIK hashes.
  // 3: erasure of personal data. Built afresh, so that no copy built by a release that skipped
  // PersonalDataErased events (a projector still running the old code) keeps erased names.
  version: 3,
  indexes: [
    'regencyCode',
    'kind',
    'status',
    'standing',
    'disbursement.year',
    'registeredPosition',
    'sortName',
    'searchTokens[]',
    'nikHashes[]',
    // The lists by name and by regency, each then in order of registration: index-backed pages.
    'sortName,registeredPosition',
    'regencyCode,registeredPosition',
  ],
  handles: [
    'RecipientRegistered',
    'RecipientDetailsCorrected',
    'NikCorrected',
    'MemberReplaced',
    'RecipientMoved',
    'RecipientDied',
    'RecipientWithdrew',
    'AidDisbursed',
    'DisbursementReversed',
    'MonitoringRecorded',
    'MentoringRecorded',
    'ExhibitionParticipationRecorded',
    'PersonalDataErased',
  ],

  documentIds(event) {
    return 'recipientId' in event.data ? [event.data.recipientId] : [];
  },

  evolve(document, event) {
    if (event.type === 'RecipientRegistered') {
      const data = event.data;
      return derived({
        recipientId: data.recipientId,
        kind: data.kind,
        regencyCode: data.regencyCode,
        regencyName: regencyNameOf(data.regencyCode),
        movedFrom: null,
        name: data.kind === 'RSE' ? data.name : data.groupName,
        businessType: data.businessType,
        ownNik: data.kind === 'RSE' ? { nikHash: data.nikHash, nikMasked: data.nikMasked } : null,
        members:
          data.kind === 'RSE'
            ? null
            : data.members.map(({ name, role, nikMasked, nikHash }) => ({
                name,
                role,
                nikMasked,
                nikHash,
              })),
        formerMembers: [],
        phone: data.kind === 'RSE' ? (data.phone ?? null) : null,
        standing: 'active',
        standingOn: null,
        status: 'registered',
        registeredAt: event.metadata.recordedAt,
        registeredPosition: Number(event.position),
        disbursement: null,
        latestMonitoring: null,
        mentoringCount: 0,
        exhibitionCount: 0,
      });
    }
    if (document === null) return null;
    switch (event.type) {
      case 'RecipientDetailsCorrected':
        return corrected(document, event.data.changes);
      case 'NikCorrected': {
        const { before, after } = event.data;
        if (document.members === null) {
          return ownNikOf(document)?.nikHash === before.nikHash
            ? changed(document, { ownNik: after })
            : document;
        }
        return changed(document, {
          members: document.members.map((member) =>
            member.nikHash === before.nikHash ? { ...member, ...after } : member,
          ),
        });
      }
      case 'MemberReplaced': {
        const { left, joined, departure, effectiveOn } = event.data;
        const leaving = document.members?.find((member) => member.nikHash === left.nikHash);
        if (!document.members || !leaving) return document;
        const newcomer = {
          name: joined.name,
          role: joined.role,
          nikMasked: joined.nikMasked,
          nikHash: joined.nikHash,
        };
        return changed(document, {
          members: document.members.map((member) => (member === leaving ? newcomer : member)),
          formerMembers: [
            ...document.formerMembers,
            { ...leaving, departure, leftOn: effectiveOn },
          ],
        });
      }
      case 'RecipientMoved': {
        const { fromRegencyCode, toRegencyCode, movedOn } = event.data;
        return {
          ...document,
          regencyCode: toRegencyCode,
          regencyName: regencyNameOf(toRegencyCode),
          movedFrom: {
            regencyCode: fromRegencyCode,
            regencyName: regencyNameOf(fromRegencyCode),
            movedOn,
          },
        };
      }
      case 'RecipientDied':
        return { ...document, standing: 'deceased', standingOn: event.data.diedOn };
      case 'RecipientWithdrew':
        return { ...document, standing: 'withdrawn', standingOn: event.data.withdrawnOn };
      case 'AidDisbursed': {
        const { disbursementId, year, form, valueRupiah, disbursedOn } = event.data;
        return {
          ...document,
          status: 'aided',
          disbursement: {
            disbursementId,
            year,
            form,
            valueRupiah,
            disbursedOn,
            reversedOn: null,
            reversalReason: null,
          },
          latestMonitoring: null,
        };
      }
      case 'DisbursementReversed':
        if (document.disbursement?.disbursementId !== event.data.disbursementId) return document;
        return {
          ...document,
          status: 'reversed',
          disbursement: {
            ...document.disbursement,
            reversedOn: event.data.reversedOn,
            reversalReason: event.data.reason,
          },
        };
      case 'MonitoringRecorded': {
        const {
          visitDate,
          businessStatus,
          monthlyTurnoverRupiah,
          workers,
          workersFromPoorHouseholds,
          challenges,
        } = event.data;
        if (document.latestMonitoring && document.latestMonitoring.visitDate > visitDate)
          return document;
        return {
          ...document,
          latestMonitoring: {
            visitDate,
            businessStatus,
            monthlyTurnoverRupiah,
            workers,
            workersFromPoorHouseholds,
            challenges,
          },
        };
      }
      case 'MentoringRecorded':
        return { ...document, mentoringCount: document.mentoringCount + 1 };
      case 'ExhibitionParticipationRecorded':
        return { ...document, exhibitionCount: document.exhibitionCount + 1 };
      case 'PersonalDataErased':
        return erased(document, event.data.memberNikHash);
      default:
        return document;
    }
  },
};
