import type { AnchorReport } from './anchor-check';
import type { LedgerLinkReport } from './ledger-links';
import type { VerifyReport } from './verify-log';

const count = (n: number) => n.toLocaleString('en-US');

/** The verification report for a terminal: a verdict per part, then every difference listed. */
export function formatVerifyReport(report: VerifyReport): string {
  const { chains } = report;
  const lines = [
    `Verified ${count(chains.events)} events in ${count(chains.streams)} streams up to position ${report.headPosition} (${report.verifiedAt})`,
    '',
    chains.findings.length === 0
      ? 'Hash chains: every event matches its hash and follows its predecessor'
      : `Hash chains: ${chains.findings.length} broken link(s); the first:`,
    ...chains.findings.map(
      (finding) => `  [${finding.kind}] position ${finding.position}: ${finding.message}`,
    ),
    chains.latestSeal
      ? `Seals: ${chains.seals} checked; the latest matching one seals position ${chains.latestSeal.sealedPosition} ` +
        `with log hash ${chains.latestSeal.logHash}; ${count(chains.eventsAfterLatestSeal)} event(s) after it are ` +
        'protected by their stream chains only'
      : chains.seals === 0
        ? 'Seals: none in the seals stream (none made yet, or the stream was removed: verify --anchors tells); ' +
          'every event is protected by its stream chain only (bin/bansos-audit seal)'
        : `Seals: ${chains.seals} found, none matching; every event is protected by its stream chain only`,
    ...(chains.unchainedEvents > 0
      ? [
          `${count(chains.unchainedEvents)} event(s) from before hash chains head their streams: ` +
            'covered by the seals only',
        ]
      : []),
    ...linkLines(report.links),
    ...(report.anchors ? anchorLines(report.anchors) : []),
    '',
    'Read models (recomputed from the events up to their checkpoint):',
    ...report.readModels.flatMap((model) => [
      `  ${model.collection.padEnd(28)} checkpoint ${model.checkpoint.padEnd(10)} ` +
        `${count(model.documentsCompared)} documents compared` +
        (model.documentsMovedOn > 0 ? `, ${count(model.documentsMovedOn)} moved on since` : '') +
        (model.differenceCount === 0
          ? ': equal'
          : `: ${count(model.differenceCount)} difference(s)`),
      ...model.differences.map(
        (difference) =>
          `    ${difference.collection} ${difference.id} ${difference.field}: stored ${JSON.stringify(difference.stored)}, recomputed ${JSON.stringify(difference.recomputed)}`,
      ),
    ]),
    ...report.notBuilt.map((name) => `  ${name}: no serving read model yet, nothing to compare`),
    '',
    report.ok ? 'Result: OK' : 'Result: DIFFERENCES FOUND',
    '',
  ];
  return lines.join('\n');
}

function linkLines(links: LedgerLinkReport): string[] {
  const checked =
    `${count(links.disbursements)} disbursements, ${count(links.slots)} quota slots, ` +
    `${count(links.registrations)} registrations, ${count(links.idempotencyRecords)} idempotency records`;
  return [
    links.findings.length === 0
      ? `Links between streams (${checked}): every slot, reversal, NIK claim and idempotency record agrees`
      : `Links between streams (${checked}): ${links.findings.length} broken link(s):`,
    ...links.findings.map(
      (finding) =>
        `  [${finding.kind}] position ${finding.position} and ${finding.counterpart.streamName} ` +
        `${finding.counterpart.position === null ? '(no event)' : `position ${finding.counterpart.position}`}: ${finding.message}`,
    ),
    ...(links.recordsWithoutEffects > 0
      ? [
          `${count(links.recordsWithoutEffects)} idempotency record(s) from before records listed ` +
            'their effects: the events they answered for cannot be checked',
        ]
      : []),
  ];
}

function anchorLines(anchors: AnchorReport): string[] {
  return [
    anchors.findings.length === 0
      ? `Anchors: ${anchors.anchors} checked; every anchored seal is in the seals stream and the log matches each one`
      : `Anchors: ${anchors.anchors} checked; ${anchors.findings.length} do not hold:`,
    ...anchors.findings.map(
      (finding) => `  [${finding.kind}] line ${finding.line}: ${finding.message}`,
    ),
    anchors.latestMatching
      ? `  the latest matching anchor covers up to position ${anchors.latestMatching.sealedPosition} ` +
        `(log hash ${anchors.latestMatching.logHash}); the anchors chain from the start without a gap up to position ${anchors.contiguousUpTo}`
      : '  no anchor matches the log',
  ];
}
