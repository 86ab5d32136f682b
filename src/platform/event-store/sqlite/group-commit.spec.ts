import { GroupCommit, type Outcome } from './group-commit';

describe('GroupCommit', () => {
  it('hands the requests of one event-loop turn to a single commit, in arrival order', async () => {
    const commits: number[][] = [];
    const group = new GroupCommit<number, number>((requests) => {
      commits.push(requests);
      return requests.map((n) => ({ ok: true, value: n * 10 }));
    });
    const answers = await Promise.all([1, 2, 3, 4].map((n) => group.submit(n)));
    expect(answers).toEqual([10, 20, 30, 40]);
    expect(commits).toEqual([[1, 2, 3, 4]]);

    await group.submit(5);
    expect(commits).toEqual([[1, 2, 3, 4], [5]]);
  });

  it('rejects only the request whose own outcome failed', async () => {
    const group = new GroupCommit<number, number>((requests) =>
      requests.map((n): Outcome<number> =>
        n === 2 ? { ok: false, error: new Error('two') } : { ok: true, value: n },
      ),
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => group.submit(n)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('rejects every request of a batch whose commit failed', async () => {
    const group = new GroupCommit<number, number>(() => {
      throw new Error('disk full');
    });
    const outcomes = await Promise.allSettled([1, 2].map((n) => group.submit(n)));
    expect(outcomes).toEqual([
      { status: 'rejected', reason: new Error('disk full') },
      { status: 'rejected', reason: new Error('disk full') },
    ]);
  });

  it('commits at once on flush, so a closing store drops nothing', async () => {
    const committed: number[] = [];
    const group = new GroupCommit<number, number>((requests) => {
      committed.push(...requests);
      return requests.map((n) => ({ ok: true, value: n }));
    });
    const answer = group.submit(7);
    group.flush();
    expect(committed).toEqual([7]);
    await expect(answer).resolves.toBe(7);
  });
});
