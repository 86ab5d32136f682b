import { createHash } from 'node:crypto';
import { DisburseAidBody } from '../write/disburse-aid';
import {
  RecordExhibitionBody,
  RecordMentoringBody,
  RecordMonitoringBody,
} from '../write/record-follow-up';
import { RegisterKubeBody, RegisterRseBody } from '../write/register-recipient';
import { validateAs } from '../http/field-errors';
import { DEFAULT_PROGRAMME, type AidKind } from '../domain/programme/aid-programme';
import { checkNik } from '../domain/programme/nik';
import { REGENCIES } from '../domain/programme/regencies';
import type { RecipientCommand } from '../domain/recipient/recipient.commands';
import { recipientDecider } from '../domain/recipient/recipient.decider';
import { aidValue } from '../domain/recipient/recipient.disbursement';
import { KUBE_KITS, KUBE_KITS_BY_REGENCY, RSE_KITS, RSE_KITS_BY_REGENCY } from './business-kits';
import { DATA_SET_AS_OF, PUBLISHED_AS_OF } from './demo-cohorts';
import { demoDataSet, type DemoRecipient } from './demo-data-set';
import { countRequests } from './seed-runner';

const dataSet = demoDataSet();
const kindOf = (recipient: DemoRecipient): AidKind => recipient.registration.kind;
const ofKind = (kind: AidKind) => dataSet.filter((recipient) => kindOf(recipient) === kind);
const tally = (values: string[]) =>
  values.reduce<Record<string, number>>((counts, value) => {
    counts[value] = (counts[value] ?? 0) + 1;
    return counts;
  }, {});
const niksOf = (recipient: DemoRecipient): string[] =>
  recipient.registration.kind === 'RSE'
    ? [recipient.registration.nik]
    : recipient.registration.members.map((member) => member.nik);
const dateOf = (followUp: DemoRecipient['followUps'][number]): string =>
  followUp.path === 'monitoring' ? followUp.body.visitDate : followUp.body.date;
const latestVisit = (recipient: DemoRecipient) =>
  recipient.followUps.filter((followUp) => followUp.path === 'monitoring').at(-1)?.body as
    RecordMonitoringBody | undefined;

describe('demo data set', () => {
  it('has 535 RSE women in all ten regencies/cities, 500 aided in 2024 and 35 in 2025', () => {
    const women = ofKind('RSE');
    expect(women).toHaveLength(535);
    expect(tally(women.map((woman) => String(woman.disbursement.year)))).toEqual({
      2024: 500,
      2025: 35,
    });
    expect(new Set(women.map((woman) => woman.registration.regencyCode))).toEqual(
      new Set(REGENCIES.map((regency) => regency.code)),
    );
  });

  it('has 80 KUBe aided in 2024, 20 each in Kutai Barat, Kutai Kartanegara, Samarinda and Balikpapan', () => {
    const groups = ofKind('KUBE');
    expect(groups.every((group) => group.disbursement.year === 2024)).toBe(true);
    expect(tally(groups.map((group) => group.registration.regencyCode))).toEqual({
      '64.07': 20,
      '64.02': 20,
      '64.72': 20,
      '64.71': 20,
    });
  });

  it("gives every recipient aid at its kind's ceiling: Rp2,675,000,000 and Rp1,600,000,000 in all", () => {
    for (const recipient of dataSet) {
      expect(aidValue(recipient.disbursement.items)).toBe(
        DEFAULT_PROGRAMME.ceilingRupiah[kindOf(recipient)],
      );
    }
    const total = (kind: AidKind) =>
      ofKind(kind).reduce((sum, recipient) => sum + aidValue(recipient.disbursement.items), 0);
    expect(total('RSE')).toBe(2_675_000_000);
    expect(total('KUBE')).toBe(1_600_000_000);
  });

  it('keeps every kit at its ceiling, and only offers each regency kits that exist', () => {
    for (const kit of Object.values(RSE_KITS)) expect(aidValue(kit.items)).toBe(5_000_000);
    for (const kit of Object.values(KUBE_KITS)) expect(aidValue(kit.items)).toBe(20_000_000);
    for (const kits of Object.values(RSE_KITS_BY_REGENCY)) {
      for (const kit of kits) expect(Object.keys(RSE_KITS)).toContain(kit);
    }
    for (const kits of Object.values(KUBE_KITS_BY_REGENCY)) {
      for (const kit of kits) expect(Object.keys(KUBE_KITS)).toContain(kit);
    }
  });

  it('uses structurally valid NIKs of Kalimantan Timur, each once, female-marked for RSE women', () => {
    const codes = new Set(REGENCIES.map((regency) => regency.code));
    for (const recipient of dataSet) {
      for (const nik of niksOf(recipient)) {
        const checked = checkNik(nik);
        expect(checked).toMatchObject({ ok: true });
        if (!checked.ok) continue;
        expect(codes.has(checked.facts.regionCode)).toBe(true);
        if (kindOf(recipient) === 'RSE') expect(checked.facts.female).toBe(true);
      }
    }
    const niks = dataSet.flatMap(niksOf);
    expect(new Set(niks).size).toBe(niks.length);
    expect(niks).toHaveLength(535 + 80 * 5);
  });

  it('names every recipient once, and gives KUBe groups different names', () => {
    expect(new Set(dataSet.map((recipient) => recipient.key)).size).toBe(dataSet.length);
    const groupNames = ofKind('KUBE').map(
      (group) => (group.registration as RegisterKubeBody).groupName,
    );
    expect(new Set(groupNames).size).toBe(80);
  });

  it('dates the aid within its year and every follow-up after the aid, up to the data set date, in order', () => {
    for (const { disbursement, followUps } of dataSet) {
      expect(disbursement.disbursedOn.slice(0, 4)).toBe(String(disbursement.year));
      const dates = followUps.map(dateOf);
      expect([...dates].sort()).toEqual(dates);
      for (const date of dates) {
        expect(date >= disbursement.disbursedOn && date <= DATA_SET_AS_OF).toBe(true);
      }
    }
  });

  it('spreads business dates over 2024, 2025 and 2026: handovers in 2024 and 2025, visits, mentoring and exhibitions in all three', () => {
    const yearsOf = (dates: string[]) => new Set(dates.map((date) => date.slice(0, 4)));
    const followUps = dataSet.flatMap((recipient) => recipient.followUps);
    const datesOf = (path: string) =>
      followUps.filter((followUp) => followUp.path === path).map(dateOf);
    expect(yearsOf(dataSet.map((recipient) => recipient.disbursement.disbursedOn))).toEqual(
      new Set(['2024', '2025']),
    );
    for (const path of ['monitoring', 'mentoring', 'exhibitions']) {
      expect(yearsOf(datesOf(path))).toEqual(new Set(['2024', '2025', '2026']));
    }
    expect(DATA_SET_AS_OF.slice(0, 4)).toBe('2026');
  });

  it('evaluates the businesses still running in 2026: most stable or growing, some closed since', () => {
    const visits2026 = dataSet.flatMap((recipient) =>
      recipient.followUps.filter(
        (followUp) => followUp.path === 'monitoring' && dateOf(followUp) >= '2026-01-01',
      ),
    );
    const statuses = tally(
      visits2026.map((visit) => (visit.body as RecordMonitoringBody).businessStatus),
    );
    expect(visits2026.length).toBeGreaterThan(dataSet.length / 2);
    expect((statuses.GROWING + statuses.STABLE) / visits2026.length).toBeGreaterThan(0.6);
    expect(statuses.GROWING).toBeGreaterThan(statuses.STRUGGLING);
    expect(statuses.CLOSED).toBeGreaterThan(0);
    // A business found closed is not visited again.
    for (const recipient of dataSet) {
      const visits = recipient.followUps.filter((followUp) => followUp.path === 'monitoring');
      const closedAt = visits.findIndex(
        (visit) => (visit.body as RecordMonitoringBody).businessStatus === 'CLOSED',
      );
      if (closedAt >= 0) expect(closedAt).toBe(visits.length - 1);
    }
  });

  it('keeps every request up to the published progress as it was drawn: its Idempotency-Key names the same request', () => {
    // Requests added after a recipient's last one keep the keys of seed-runner.ts; a change to
    // any of these must bump its KEY_PREFIX version (and then this fingerprint).
    const published = dataSet.map(({ key, registration, disbursement, followUps }) => ({
      key,
      registration,
      disbursement,
      followUps: followUps.filter((followUp) => dateOf(followUp) <= PUBLISHED_AS_OF),
    }));
    for (const recipient of dataSet) {
      const dates = recipient.followUps.map(dateOf);
      const upTo = dates.filter((date) => date <= PUBLISHED_AS_OF).length;
      expect(dates.slice(upTo).every((date) => date > PUBLISHED_AS_OF)).toBe(true);
    }
    expect(createHash('sha256').update(JSON.stringify(published)).digest('hex')).toBe(
      'e4350e582318b3196e61c3dd2aaa01d9433d7e5cb2c24672771013a9c2546c1c',
    );
  });

  it('shows a believable mix: most businesses stable or growing, some struggling or closed for the published reasons', () => {
    const statuses = tally(
      dataSet.map((recipient) => latestVisit(recipient)?.businessStatus ?? 'NONE'),
    );
    const monitored = dataSet.length - (statuses.NONE ?? 0);
    expect(monitored).toBeGreaterThan(dataSet.length * 0.9);
    expect((statuses.GROWING + statuses.STABLE) / monitored).toBeGreaterThan(0.6);
    expect(statuses.STRUGGLING).toBeGreaterThan(0);
    expect(statuses.CLOSED).toBeGreaterThan(0);

    const failing = dataSet
      .map(latestVisit)
      .filter(
        (visit) => visit?.businessStatus === 'STRUGGLING' || visit?.businessStatus === 'CLOSED',
      );
    const reasons = new Set(failing.flatMap((visit) => visit?.challenges ?? []));
    expect(reasons).toEqual(new Set(['LIMITED_RESOURCES', 'MARKET_COMPETITION', 'MOTIVATION']));
    expect(failing.every((visit) => (visit?.challenges.length ?? 0) > 0)).toBe(true);

    const hiring = dataSet
      .map(latestVisit)
      .filter((visit) => (visit?.workersFromPoorHouseholds ?? 0) > 0);
    expect(hiring.length).toBeGreaterThan(0);
  });

  it('has Disperindagkop mentoring and UMKM exhibitions for part of the recipients', () => {
    const followUps = dataSet.flatMap((recipient) => recipient.followUps);
    const mentoring = followUps.filter((followUp) => followUp.path === 'mentoring');
    const exhibitions = followUps.filter((followUp) => followUp.path === 'exhibitions');
    expect(mentoring.length).toBeGreaterThan(dataSet.length / 3);
    expect(mentoring.every((session) => session.body.partner.startsWith('Disperindagkop '))).toBe(
      true,
    );
    expect(exhibitions.length).toBeGreaterThan(dataSet.length / 10);
    expect(exhibitions.every((entry) => /UMKM|Kerajinan/.test(entry.body.name))).toBe(true);
  });

  it('counts the requests it takes: a registration, a disbursement and the follow-ups of each', () => {
    const followUps = dataSet.reduce((sum, recipient) => sum + recipient.followUps.length, 0);
    expect(countRequests(dataSet)).toBe(2 * 615 + followUps);
  });

  it('is the same on every run, and another seed gives other people with the same figures', () => {
    expect(demoDataSet()).toEqual(dataSet);
    const other = demoDataSet(7);
    expect(other.map((recipient) => recipient.registration)).not.toEqual(
      dataSet.map((recipient) => recipient.registration),
    );
    expect(
      other.map((recipient) => [recipient.key, aidValue(recipient.disbursement.items)]),
    ).toEqual(dataSet.map((recipient) => [recipient.key, aidValue(recipient.disbursement.items)]));
  });

  it('sends bodies the API accepts', async () => {
    for (const recipient of dataSet) {
      const { registration, disbursement, followUps } = recipient;
      await validateAs<object>(
        registration.kind === 'RSE' ? RegisterRseBody : RegisterKubeBody,
        registration,
      );
      await validateAs(DisburseAidBody, disbursement);
      for (const followUp of followUps) {
        const type = {
          monitoring: RecordMonitoringBody,
          mentoring: RecordMentoringBody,
          exhibitions: RecordExhibitionBody,
        }[followUp.path];
        await validateAs<object>(type, followUp.body);
      }
    }
  });

  it('passes every rule of the recipient domain, from registration to the last follow-up', () => {
    for (const [index, recipient] of dataSet.entries()) {
      const recipientId = `R${index}`;
      const today = DATA_SET_AS_OF;
      const { registration, disbursement, followUps } = recipient;
      const commands: RecipientCommand[] = [
        {
          type: 'RegisterRecipient',
          recipientId,
          registration:
            registration.kind === 'RSE'
              ? {
                  ...registration,
                  nikHash: `hash-${registration.nik}`,
                  dataKeyId: `key-${recipientId}`,
                }
              : {
                  ...registration,
                  dataKeyId: `key-${recipientId}`,
                  members: registration.members.map((member) => ({
                    ...member,
                    nikHash: `hash-${member.nik}`,
                    dataKeyId: `key-${member.nik}`,
                  })),
                },
        },
        { type: 'DisburseAid', disbursementId: `${recipientId}.1`, ...disbursement, today },
        ...followUps.map((followUp): RecipientCommand => {
          switch (followUp.path) {
            case 'monitoring':
              return { type: 'RecordMonitoring', ...followUp.body, today };
            case 'mentoring':
              return { type: 'RecordMentoring', ...followUp.body, today };
            case 'exhibitions':
              return { type: 'RecordExhibitionParticipation', ...followUp.body, today };
          }
        }),
      ];
      commands.reduce((state, command) => {
        const events = recipientDecider.decide(command, state);
        expect(events).toHaveLength(1);
        return events.reduce(recipientDecider.evolve, state);
      }, recipientDecider.initialState());
    }
  });
});
