import { describe, expect, it } from 'vitest';
import { GroupCommit, type GroupCommitOptions } from '../../src/domain/group-commit.js';

/** A commit function whose commits finish only when the test says so. */
function controlled(fail: (items: readonly string[]) => Error | null = () => null) {
  const commits: { items: string[]; finish: () => void }[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const commit = (items: readonly string[]) =>
    new Promise<string[]>((resolve, reject) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      commits.push({
        items: [...items],
        finish: () => {
          running--;
          const err = fail(items);
          if (err) reject(err);
          else resolve(items.map((i) => `done:${i}`));
        },
      });
    });
  return { commit, commits, mostAtOnce: () => mostAtOnce };
}

const options = (o: Partial<GroupCommitOptions> = {}): GroupCommitOptions => ({
  maxBatch: 100,
  concurrency: 1,
  retryAlone: () => true,
  ...o,
});

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('with gatherTurn, starts a commit only after this turn, with every item submitted in it', async () => {
    const c = controlled();
    const group = new GroupCommit(c.commit, options({ gatherTurn: true }));
    const done = ['a', 'b', 'c'].map((i) => group.submit(i));
    expect(c.commits).toHaveLength(0);
    await settle();
    expect(c.commits.map((x) => x.items)).toEqual([['a', 'b', 'c']]);
    group.submit('d');
    c.commits[0]?.finish();
    expect(await Promise.all(done)).toEqual(['done:a', 'done:b', 'done:c']);
    await settle();
    expect(c.commits.map((x) => x.items)).toEqual([['a', 'b', 'c'], ['d']]);
    c.commits[1]?.finish();
  });

  it('commits an item at once, alone, when nothing is committing', async () => {
    const c = controlled();
    const group = new GroupCommit(c.commit, options());
    const done = group.submit('a');
    expect(c.commits.map((x) => x.items)).toEqual([['a']]);
    c.commits[0]?.finish();
    expect(await done).toBe('done:a');
  });

  it('puts what arrives during a commit into the next one, answering each only after its own commit', async () => {
    const c = controlled();
    const group = new GroupCommit(c.commit, options());
    const answered: string[] = [];
    const all = ['a', 'b', 'c', 'd'].map((i) => group.submit(i).then((out) => answered.push(out)));
    expect(c.commits.map((x) => x.items)).toEqual([['a']]);
    c.commits[0]?.finish();
    await settle();
    expect(answered).toEqual(['done:a']);
    expect(c.commits.map((x) => x.items)).toEqual([['a'], ['b', 'c', 'd']]);
    c.commits[1]?.finish();
    await Promise.all(all);
    expect(answered).toEqual(['done:a', 'done:b', 'done:c', 'done:d']);
  });

  it('takes at most maxBatch items into one commit', async () => {
    const c = controlled();
    const group = new GroupCommit(c.commit, options({ maxBatch: 3 }));
    const all = Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((i) => group.submit(i)));
    for (let i = 0; i < 4; i++) {
      await settle();
      c.commits[i]?.finish();
    }
    expect(await all).toHaveLength(7);
    expect(c.commits.map((x) => x.items)).toEqual([['a'], ['b', 'c', 'd'], ['e', 'f', 'g']]);
  });

  it('runs up to `concurrency` commits at once', async () => {
    const c = controlled();
    const group = new GroupCommit(c.commit, options({ concurrency: 2 }));
    const all = Promise.all(['a', 'b', 'c'].map((i) => group.submit(i)));
    expect(c.commits.map((x) => x.items)).toEqual([['a'], ['b']]);
    c.commits[0]?.finish();
    c.commits[1]?.finish();
    await settle();
    c.commits[2]?.finish();
    expect(await all).toEqual(['done:a', 'done:b', 'done:c']);
    expect(c.mostAtOnce()).toBe(2);
  });

  it('after a failed batch, tries each item alone: only the one that cannot commit fails', async () => {
    const c = controlled((items) => (items.includes('bad') ? new Error('bad item') : null));
    const group = new GroupCommit(c.commit, options());
    const first = group.submit('first');
    const rest = ['x', 'bad', 'y'].map((i) => group.submit(i).then(String, (e: Error) => e.message));
    c.commits[0]?.finish();
    await first;
    for (let i = 1; i <= 4; i++) {
      await settle();
      c.commits[i]?.finish();
    }
    expect(await Promise.all(rest)).toEqual(['done:x', 'bad item', 'done:y']);
    expect(c.commits.map((x) => x.items)).toEqual([['first'], ['x', 'bad', 'y'], ['x'], ['bad'], ['y']]);
    // And it carries on.
    const later = group.submit('later');
    c.commits[5]?.finish();
    expect(await later).toBe('done:later');
  });

  it('fails the whole batch, without retrying, on an error every item would meet', async () => {
    const outage = new Error('database unavailable');
    const c = controlled(() => outage);
    const group = new GroupCommit(c.commit, options({ retryAlone: (err) => err !== outage }));
    const first = group.submit('first').catch((e: Error) => e);
    const rest = ['x', 'y'].map((i) => group.submit(i).catch((e: Error) => e));
    c.commits[0]?.finish();
    expect(await first).toBe(outage);
    await settle();
    c.commits[1]?.finish();
    expect(await Promise.all(rest)).toEqual([outage, outage]);
    expect(c.commits).toHaveLength(2);
  });
});
