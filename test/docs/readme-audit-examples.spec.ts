import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { appConfig, type AppConfig } from '../../src/config/app.config';
import { CSV_COLUMNS } from '../../src/audit/history/history-format';
import { DEMO_COHORTS } from '../../src/demo/demo-cohorts';
import { seedDemo } from '../../src/demo/seed-runner';
import { systemClock } from '../../src/platform/clock';
import { startApi, TOKENS, type Api } from '../helpers/api-client';
import type { AddressInfo } from 'node:net';

const execFileAsync = promisify(execFile);
const ROOT = join(__dirname, '../..');
const TOOL = 'bin/bansos-audit';

/** The `bin/bansos-audit …` lines of README.md's "Auditing" section, as written there. */
function auditExamples(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /\n## Auditing\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap(([, block]) => block.split('\n'))
    .map((line) => line.trim())
    .filter((line) => line.startsWith(`${TOOL} `));
}

/** The words of a command line as a POSIX shell splits them (quotes, no expansions), the tool's name first. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const [, single, double, bare] of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) {
    words.push(single ?? double ?? bare);
  }
  return words;
}

/** Disbursements of the demo data set handed over between two days (inclusive). */
function handedOver(from: string, until: string, kind?: 'RSE' | 'KUBE'): number {
  return DEMO_COHORTS.filter(
    (cohort) =>
      cohort.handedOverOn >= from &&
      cohort.handedOverOn <= until &&
      (kind === undefined || cohort.kind === kind),
  ).reduce((sum, cohort) => sum + cohort.count, 0);
}

/**
 * README.md's audit examples, run as written by a shell (redirects included) on the demo data set
 * seeded (with today's clock, as bansos-seed-demo does) into a temporary DATA_DIR: each one must
 * answer real rows. The tool is the launcher in bin/, which builds dist/ first if it is stale.
 */
describe('README audit examples on the demo data set', () => {
  const examples = auditExamples();
  let api: Api;
  let config: AppConfig;
  let workDir: string;

  beforeAll(async () => {
    api = await startApi({ clock: systemClock });
    config = api.app.get<AppConfig>(appConfig.KEY);
    workDir = mkdtempSync(join(tmpdir(), 'bansos-readme-'));
    const url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    await seedDemo({ url, operatorToken: TOKENS.operator, monitorToken: TOKENS.monitor });
    // Builds dist/ if it is stale, so that each example's stderr is its own.
    await execFileAsync(join(ROOT, TOOL), ['--help']);
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const run = async (line: string) => {
    // The anchor file shipped to the archive is, on this machine, the one the seal just wrote.
    const anchors = shellWords(line).find((_, at, words) => words[at - 1] === '--anchors');
    const command =
      anchors && !existsSync(anchors)
        ? line.replace(anchors, join(config.dataDir, 'seal-anchors.jsonl'))
        : line;
    return execFileAsync('sh', ['-c', command.replace(TOOL, join(ROOT, TOOL))], {
      cwd: workDir,
      env: {
        ...process.env,
        DATA_DIR: config.dataDir,
        NIK_HMAC_SECRET: 'unused-by-the-cli-0123456789abcdef',
      },
      maxBuffer: 64 * 1024 * 1024,
    });
  };

  it('finds the examples: histories, a read model, a seal and a verification', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    expect(examples.some((line) => line.includes(' history '))).toBe(true);
    expect(examples.some((line) => line.includes(' projection '))).toBe(true);
  });

  it('answers every example with data rows', async () => {
    const checked: string[] = [];
    for (const line of examples) {
      const args = shellWords(line).slice(1);
      const value = (name: string) => {
        const at = args.indexOf(name);
        return at < 0 ? undefined : args[at + 1];
      };
      const { stdout, stderr } = await run(line);
      // Nothing but the answer: no build, no banner.
      expect(stderr).toBe('');
      // Written with --out or through a shell redirect: the file is the same.
      const out = value('--out') ?? value('>');
      const format = value('--format');
      if (args[0] === 'history') {
        const from = value('--disbursed-from') ?? '0000-01-01';
        const until = value('--disbursed-until') ?? '9999-12-31';
        const kind = value('--kind') as 'RSE' | 'KUBE' | undefined;
        const regency = value('--regency');
        const expected =
          regency === undefined
            ? handedOver(from, until, kind)
            : DEMO_COHORTS.filter((c) => c.regencyCode === regency).reduce(
                (sum, c) => sum + c.count,
                0,
              );
        expect(expected).toBeGreaterThan(0);
        if (format === 'csv') {
          const lines = readFileSync(join(workDir, out as string), 'utf8').split('\r\n');
          const delimiter = value('--delimiter') ?? ',';
          expect(lines[0]).toBe(`\uFEFF${CSV_COLUMNS.join(delimiter)}`);
          expect(lines.slice(1, -1)).toHaveLength(expected);
          // Recorded today, written in WITA with its offset.
          expect(lines[1]).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00/);
        } else if (format === 'xlsx') {
          const workbook = new ExcelJS.Workbook();
          await workbook.xlsx.readFile(join(workDir, out as string));
          expect(workbook.worksheets[0].actualRowCount).toBe(expected + 1);
        } else {
          expect(stdout).toContain(`\n${expected} disbursements; Rp`);
        }
      } else if (args[0] === 'projection') {
        const rows = stdout.trim().split('\n');
        expect(rows[0]).toMatch(/^id\s+/);
        expect(rows.length).toBeGreaterThan(1);
        // Quota progress as handed over by then: the year of that day has aid disbursed.
        const day = value('--business-as-of') as string;
        const year = day.slice(0, 4);
        const disbursedThatYear = handedOver(`${year}-01-01`, day, 'RSE');
        expect(disbursedThatYear).toBeGreaterThan(0);
        expect(stdout).toMatch(new RegExp(`^${year}:RSE\\s.*\\b${disbursedThatYear}\\b`, 'm'));
      } else if (args[0] === 'seal') {
        expect(stdout).toMatch(/^Sealed up to position \d+: \d+ events in \d+ streams/);
      } else if (args[0] === 'verify') {
        // Exit status 0 (execFile rejects otherwise): the demo's log and read models agree.
        expect(stdout).toMatch(
          /^Anchors: [1-9]\d* checked; every anchored seal is in the seals stream/m,
        );
        expect(stdout).toContain('Result: OK');
      } else {
        throw new Error(`README names an audit command this test does not know: ${line}`);
      }
      checked.push(args[0]);
    }
    expect(checked).toEqual(examples.map((line) => shellWords(line)[1]));
  }, 180_000);
});
