import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AID_KINDS, type AidKind } from '../domain/programme/aid-programme';
import { AID_UNITS, type AidUnit } from '../domain/recipient/aid-items';
import { AID_FORMS, type AidForm, type AidItem } from '../domain/recipient/recipient.commands';
import type { DisbursementRecord as DisbursementRecordShape } from './history/disbursement-history';
import type { AnchorFinding, AnchorReport } from './verify/anchor-check';
import type { ChainFinding, ChainReport } from './verify/chain-check';
import type { LedgerLinkFinding, LedgerLinkReport } from './verify/ledger-links';
import type { DocumentDifference, ReadModelReport } from './verify/read-model-check';
import type { VerifyReport as VerifyReportShape } from './verify/verify-log';

/** The JSON answers of the audit routes computed from the log (src/audit/audit.controller.ts). */

/** Any JSON value, null included. */
const JSON_VALUE = {
  oneOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object', nullable: true },
    { type: 'array', items: {} },
  ],
};

class DisbursedItem implements AidItem {
  @ApiProperty({ example: 'Oven' })
  description!: string;

  @ApiProperty({ example: 1, description: 'Decimal for measured units (2.5 kg)' })
  quantity!: number;

  @ApiPropertyOptional({ enum: AID_UNITS })
  unit?: AidUnit;

  @ApiProperty({ type: 'integer', example: 4_965_000 })
  unitPriceRupiah!: number;
}

class Reversal {
  @ApiProperty({ format: 'date' })
  reversedOn!: string;

  @ApiProperty()
  reason!: string;

  @ApiProperty()
  actor!: string;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;
}

/** One item of GET /audit/disbursements (format=json). */
export class DisbursementRecord implements DisbursementRecordShape {
  @ApiProperty({ description: '`<recipientId>.<attempt>`', example: '6f1c2b9e-…-2d8e4b7c1a90.1' })
  disbursementId!: string;

  @ApiProperty({ format: 'uuid' })
  recipientId!: string;

  @ApiProperty({ enum: AID_KINDS })
  kind!: AidKind;

  @ApiProperty({ example: '64.72', description: 'Where the aid was counted' })
  regencyCode!: string;

  @ApiProperty()
  regencyName!: string;

  @ApiProperty({ type: 'integer' })
  year!: number;

  @ApiProperty({ type: [String], description: 'The NIK masked; for a KUBe, every member’s' })
  maskedNiks!: string[];

  @ApiProperty({ enum: AID_FORMS })
  form!: AidForm;

  @ApiProperty({ type: () => [DisbursedItem] })
  items!: DisbursedItem[];

  @ApiProperty({ type: 'integer' })
  valueRupiah!: number;

  @ApiProperty({ format: 'date', description: 'Business date: the handover' })
  disbursedOn!: string;

  @ApiProperty({ format: 'date-time', description: 'Recorded time' })
  recordedAt!: string;

  @ApiProperty()
  actor!: string;

  @ApiProperty({ type: () => Reversal, nullable: true })
  reversal!: Reversal | null;
}

class ChainFindingAnswer implements ChainFinding {
  @ApiProperty({ enum: ['altered', 'broken-link', 'missing', 'reordered', 'seal-mismatch'] })
  kind!: ChainFinding['kind'];

  @ApiProperty()
  position!: string;

  @ApiProperty()
  streamName!: string;

  @ApiProperty()
  revision!: string;

  @ApiProperty()
  message!: string;
}

class LatestSeal {
  @ApiProperty()
  position!: string;

  @ApiProperty()
  sealedPosition!: string;

  @ApiProperty()
  logHash!: string;
}

class ChainReportAnswer implements ChainReport {
  @ApiProperty({ type: 'integer' })
  events!: number;

  @ApiProperty({ type: 'integer' })
  streams!: number;

  @ApiProperty({ type: 'integer' })
  seals!: number;

  @ApiProperty({
    type: () => LatestSeal,
    nullable: true,
    description: 'The newest seal that matched',
  })
  latestSeal!: LatestSeal | null;

  @ApiProperty({ type: 'integer' })
  eventsAfterLatestSeal!: number;

  @ApiProperty({ type: 'integer', description: 'Events from before hash chains: seals cover them' })
  unchainedEvents!: number;

  @ApiProperty({
    type: () => [ChainFindingAnswer],
    description: 'The first is the first broken link',
  })
  findings!: ChainFindingAnswer[];
}

class Counterpart {
  @ApiProperty()
  streamName!: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'null: the log holds none' })
  position!: string | null;
}

class LedgerLinkFindingAnswer implements LedgerLinkFinding {
  @ApiProperty({
    enum: [
      'slot-without-disbursement',
      'disbursement-without-slot',
      'slot-mismatch',
      'reversal-without-release',
      'release-without-reversal',
      'nik-not-held',
      'missing-effect',
      'missing-answer',
    ],
  })
  kind!: LedgerLinkFinding['kind'];

  @ApiProperty()
  position!: string;

  @ApiProperty()
  streamName!: string;

  @ApiProperty()
  revision!: string;

  @ApiProperty({ type: () => Counterpart })
  counterpart!: Counterpart;

  @ApiProperty()
  message!: string;
}

class LedgerLinkReportAnswer implements LedgerLinkReport {
  @ApiProperty({ type: 'integer' })
  disbursements!: number;

  @ApiProperty({ type: 'integer' })
  slots!: number;

  @ApiProperty({ type: 'integer' })
  registrations!: number;

  @ApiProperty({ type: 'integer' })
  idempotencyRecords!: number;

  @ApiProperty({ type: 'integer' })
  recordsWithoutEffects!: number;

  @ApiProperty({ type: () => [LedgerLinkFindingAnswer] })
  findings!: LedgerLinkFindingAnswer[];
}

class AnchorFindingAnswer implements AnchorFinding {
  @ApiProperty({ enum: ['seal-missing', 'seal-changed', 'log-mismatch'] })
  kind!: AnchorFinding['kind'];

  @ApiProperty({ type: 'integer' })
  line!: number;

  @ApiProperty()
  sealPosition!: string;

  @ApiProperty()
  sealedPosition!: string;

  @ApiProperty()
  message!: string;
}

class MatchingAnchor {
  @ApiProperty()
  sealedPosition!: string;

  @ApiProperty()
  logHash!: string;
}

class AnchorReportAnswer implements AnchorReport {
  @ApiProperty({ type: 'integer' })
  anchors!: number;

  @ApiProperty({ type: () => MatchingAnchor, nullable: true })
  latestMatching!: MatchingAnchor | null;

  @ApiProperty()
  contiguousUpTo!: string;

  @ApiProperty({ type: () => [AnchorFindingAnswer] })
  findings!: AnchorFindingAnswer[];
}

class DocumentDifferenceAnswer implements DocumentDifference {
  @ApiProperty()
  collection!: string;

  @ApiProperty()
  id!: string;

  @ApiProperty({ description: 'Dot path into the document; `(document)` when one side has none' })
  field!: string;

  @ApiProperty({ ...JSON_VALUE, description: 'The stored value' })
  stored!: unknown;

  @ApiProperty({ ...JSON_VALUE, description: 'The value replayed from the events' })
  recomputed!: unknown;
}

class ReadModelReportAnswer implements ReadModelReport {
  @ApiProperty()
  projection!: string;

  @ApiProperty()
  collection!: string;

  @ApiProperty()
  checkpoint!: string;

  @ApiProperty({ type: 'integer' })
  documentsCompared!: number;

  @ApiProperty({ type: 'integer' })
  documentsMovedOn!: number;

  @ApiProperty({ type: 'integer' })
  differenceCount!: number;

  @ApiProperty({ type: () => [DocumentDifferenceAnswer], description: 'The first differences' })
  differences!: DocumentDifferenceAnswer[];
}

/** The answer of GET /audit/verify. */
export class VerifyReport implements VerifyReportShape {
  @ApiProperty({
    description: 'Every chain, seal and link holds and every read model equals its recomputation',
  })
  ok!: boolean;

  @ApiProperty({ format: 'date-time' })
  verifiedAt!: string;

  @ApiProperty()
  headPosition!: string;

  @ApiProperty({ type: () => ChainReportAnswer })
  chains!: ChainReportAnswer;

  @ApiProperty({ type: () => LedgerLinkReportAnswer })
  links!: LedgerLinkReportAnswer;

  @ApiPropertyOptional({
    type: () => AnchorReportAnswer,
    description: 'Only against an anchor file',
  })
  anchors?: AnchorReportAnswer;

  @ApiProperty({ type: () => [ReadModelReportAnswer] })
  readModels!: ReadModelReportAnswer[];

  @ApiProperty({ type: [String], description: 'Projections with no serving read model yet' })
  notBuilt!: string[];
}
