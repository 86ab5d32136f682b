import { spawn } from 'node:child_process';
import { join } from 'node:path';

const GUARD = join(__dirname, '..', '..', 'bench', 'orphan-guard.ts');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A bench killed outright (SIGKILL: none of its clean-up runs) leaves no service behind. */
describe('bench/orphan-guard', () => {
  it('ends a process started by a bench once the bench is gone', async () => {
    // The "bench": starts a long-lived child with the guard preloaded, tells its pid, waits.
    const bench = spawn(
      process.execPath,
      [
        '-e',
        `const { spawn } = require('node:child_process');
         const child = spawn(process.execPath, ['-r', '@swc-node/register', '-r', ${JSON.stringify(GUARD)},
           '-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
         process.stdout.write(String(child.pid));
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const childPid = await new Promise<number>((resolve) =>
      bench.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString()))),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(alive(childPid)).toBe(true);

    bench.kill('SIGKILL');
    const deadline = Date.now() + 5000;
    while (alive(childPid) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(alive(childPid)).toBe(false);
  });
});
