import { StreamTips } from './stream-tips';

const tip = (revision: bigint) => ({ id: 1, revision, hash: 'ab'.repeat(32) });

describe('StreamTips', () => {
  it('keeps tips while no other connection has committed', () => {
    const tips = new StreamTips();
    tips.beginWrite(1);
    tips.set('a', tip(0n));
    tips.beginWrite(1);
    expect(tips.get('a')).toEqual(tip(0n));
  });

  it('forgets every tip once another connection has committed', () => {
    const tips = new StreamTips();
    tips.beginWrite(1);
    tips.set('a', tip(0n));
    tips.beginWrite(2);
    expect(tips.get('a')).toBeUndefined();
  });

  it('forgets every tip after a failed write, whatever data_version says next', () => {
    const tips = new StreamTips();
    tips.beginWrite(1);
    tips.set('a', tip(0n));
    tips.forget();
    tips.beginWrite(1);
    expect(tips.get('a')).toBeUndefined();
  });

  it('keeps at most two generations: the streams written least recently go first', () => {
    const tips = new StreamTips(2);
    tips.beginWrite(1);
    for (const name of ['a', 'b', 'c', 'd', 'e']) tips.set(name, tip(0n));
    const known = (...names: string[]) => names.map((name) => tips.get(name)?.revision);
    expect(known('a', 'b', 'c', 'd', 'e')).toEqual([undefined, undefined, 0n, 0n, 0n]);
    // Written again, a stream moves to the newer generation and outlives the rest of the older.
    tips.set('c', tip(1n));
    tips.set('f', tip(0n));
    expect(known('c', 'd', 'e', 'f')).toEqual([1n, undefined, 0n, 0n]);
  });
});
