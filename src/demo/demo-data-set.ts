import type { DisburseAidBody } from '../write/disburse-aid';
import type { RegisterKubeBody, RegisterRseBody } from '../write/register-recipient';
import type { MemberRole } from '../domain/recipient/recipient.commands';
import { KUBE_KITS, KUBE_KITS_BY_REGENCY, RSE_KITS, RSE_KITS_BY_REGENCY } from './business-kits';
import { DEMO_COHORTS } from './demo-cohorts';
import { followUps, type DemoFollowUp } from './follow-ups';
import { GROUP_NAMES, personName } from './indonesian-names';
import { SeededRandom } from './seeded-random';
import { nikIssuer } from './synthetic-nik';

/** One recipient of the demo data set and every request that puts it in the service, in order. */
export interface DemoRecipient {
  /** Its name within the data set (`rse-2024-6472-001`): Idempotency-Keys are made from it. */
  key: string;
  registration: RegisterRseBody | RegisterKubeBody;
  disbursement: DisburseAidBody;
  followUps: DemoFollowUp[];
}

/** The fixed seed: the demo data set is the same on every run and every machine. */
export const DEMO_SEED = 20_240_521;

/** Mixed into the seed for the stream that draws the story after the published progress. */
const LATER_STREAM = 0x2026;

const KUBE_ROLES: MemberRole[] = ['CHAIR', 'SECRETARY', 'TREASURER', 'MEMBER', 'MEMBER'];

/**
 * The demo data set: the programme's published progress (see DEMO_COHORTS) with made-up people,
 * businesses that fit their region, aid at its kind's ceiling and what followed it. Pure: the
 * same seed gives the same data set.
 */
export function demoDataSet(seed = DEMO_SEED): DemoRecipient[] {
  const random = new SeededRandom(seed);
  // What followed the published progress has a stream of its own: see followUps.
  const later = new SeededRandom(seed ^ LATER_STREAM);
  const issueNik = nikIssuer(random);
  const kubeCount = DEMO_COHORTS.filter((cohort) => cohort.kind === 'KUBE').reduce(
    (sum, cohort) => sum + cohort.count,
    0,
  );
  const groupNames = random.sample(GROUP_NAMES, kubeCount);
  let groupsNamed = 0;

  return DEMO_COHORTS.flatMap((cohort) =>
    Array.from({ length: cohort.count }, (_, index): DemoRecipient => {
      const key = [
        cohort.kind.toLowerCase(),
        cohort.year,
        cohort.regencyCode.replace('.', ''),
        String(index + 1).padStart(3, '0'),
      ].join('-');
      const { regencyCode, handedOverOn, year } = cohort;
      const kit =
        cohort.kind === 'RSE'
          ? RSE_KITS[random.pick(RSE_KITS_BY_REGENCY[regencyCode])]
          : KUBE_KITS[random.pick(KUBE_KITS_BY_REGENCY[regencyCode])];
      const { businessType } = kit;
      const registration: RegisterRseBody | RegisterKubeBody =
        cohort.kind === 'RSE'
          ? {
              kind: 'RSE',
              regencyCode,
              name: personName(random, 'female'),
              nik: issueNik(regencyCode, 'female', 1965, 2000),
              businessType,
            }
          : {
              kind: 'KUBE',
              regencyCode,
              groupName: groupNames[groupsNamed++],
              businessType,
              members: KUBE_ROLES.map((role) => {
                const sex = random.chance(0.6) ? 'female' : 'male';
                const nik = issueNik(regencyCode, sex, 1962, 2003);
                return { nik, name: personName(random, sex), role };
              }),
            };
      return {
        key,
        registration,
        disbursement: {
          year,
          form: kit.form,
          items: kit.items.map((item) => ({ ...item })),
          disbursedOn: handedOverOn,
        },
        followUps: followUps(random, later, cohort),
      };
    }),
  );
}
