import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TokenGrant } from '../config/app.config';
import { demoDataSet } from '../demo/demo-data-set';
import {
  countRequests,
  SeedError,
  seedDemo,
  type SeedSummary,
  type SeedTarget,
} from '../demo/seed-runner';
import { HELP_OPTION, parseCommandLine, printUsage, runCommandLine } from './command-line';
import { ProgressBar } from './progress-bar';

const HELP = `Usage: bansos-seed-demo [--url <url>] [--token <token>]

Fills a running service, through its HTTP API, with the demo data set: the programme's published
progress (535 RSE women and 80 KUBe aided, Rp2,675,000,000 and Rp1,600,000,000) with their
monitoring, mentoring and exhibitions. The data set is fixed; running it again adds nothing.

Options:
  --url <url>      the service (default http://localhost:$PORT, PORT defaulting to 3000)
  --token <token>  a bearer token holding both the operator and monitor roles (default: the
                   operator and monitor development tokens in $DATA_DIR/dev-tokens.json)
  -h, --help       this text

Exit status 0: seeded (or nothing was left to add); 1: it could not seed (the reason on stderr);
2: bad usage (the message and this text on stderr).`;

const OPTIONS = {
  ...HELP_OPTION,
  url: { type: 'string' },
  token: { type: 'string' },
} as const;

/** The development tokens the embedded service wrote, one per role. */
function devTokens(env: NodeJS.ProcessEnv): Pick<SeedTarget, 'operatorToken' | 'monitorToken'> {
  const file = join(resolve(env.DATA_DIR ?? './data'), 'dev-tokens.json');
  let grants: TokenGrant[];
  try {
    grants = JSON.parse(readFileSync(file, 'utf8')) as TokenGrant[];
  } catch {
    throw new SeedError(
      `No development tokens in ${file}: start the service once (npm start), or pass --token`,
    );
  }
  const tokenOf = (role: 'operator' | 'monitor') => {
    const grant = grants.find((candidate) => candidate.roles.includes(role));
    if (!grant) throw new SeedError(`${file} holds no token with the ${role} role; pass --token`);
    return grant.token;
  };
  return { operatorToken: tokenOf('operator'), monitorToken: tokenOf('monitor') };
}

function report(summary: SeedSummary): string {
  const added = Object.values(summary.added).reduce((sum, count) => sum + count, 0);
  const n = (count: number) => count.toLocaleString('en-US');
  if (added === 0) {
    return `Nothing added: all ${n(summary.total)} requests of the demo data set were applied before.`;
  }
  const { registrations, disbursements, monitoring, mentoring, exhibitions } = summary.added;
  return [
    `Added ${n(added)} of the demo data set's ${n(summary.total)} requests:`,
    `  ${n(registrations)} registrations, ${n(disbursements)} disbursements,`,
    `  ${n(monitoring)} monitoring visits, ${n(mentoring)} mentoring sessions, ${n(exhibitions)} exhibition entries`,
    ...(summary.alreadyThere > 0 ? [`  (${n(summary.alreadyThere)} were applied before)`] : []),
  ].join('\n');
}

async function main(args: string[]): Promise<number> {
  const { values: options } = parseCommandLine(args, OPTIONS, HELP);
  if (options.help) return printUsage(HELP);
  const url = options.url ?? `http://localhost:${process.env.PORT?.trim() || '3000'}`;
  const tokens =
    options.token === undefined
      ? devTokens(process.env)
      : { operatorToken: options.token, monitorToken: options.token };
  const dataSet = demoDataSet();
  const bar = new ProgressBar('seed:demo', countRequests(dataSet), 'requests');
  let done = 0;
  let summary: SeedSummary;
  try {
    summary = await seedDemo({
      url,
      ...tokens,
      dataSet,
      onProgress: (requests) => bar.update((done = requests)),
    });
  } finally {
    bar.finish(done);
  }
  console.log(report(summary));
  return 0;
}

runCommandLine(main);
