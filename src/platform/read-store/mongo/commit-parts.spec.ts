import mongoose from 'mongoose';
import type { CollectionWrite } from '../checkpoint-store.port';
import { commitParts } from './commit-parts';

const upsert = (id: string, bytes: number) => ({
  id,
  position: 1n,
  document: { text: 'x'.repeat(bytes) },
});

const bytesOf = (part: CollectionWrite[]) =>
  part
    .flatMap((write) => write.upserts)
    .reduce(
      (sum, { id, position, document }) =>
        sum +
        mongoose.mongo.BSON.calculateObjectSize({ ...document, _id: id, _position: position }),
      0,
    );

const idsOf = (parts: CollectionWrite[][]) =>
  parts.map((part) =>
    part.map(({ collection, upserts, deletes }) => ({
      collection,
      upserts: upserts.map(({ id }) => id),
      deletes,
    })),
  );

describe('commitParts', () => {
  it('keeps a commit within the cap whole', () => {
    const writes = [
      { collection: 'a', upserts: [upsert('a1', 100)], deletes: ['a0'] },
      { collection: 'b', upserts: [upsert('b1', 100)], deletes: [] },
    ];
    expect(commitParts(writes, 1000)).toEqual([writes]);
  });

  it('splits a larger one in order, each part within the cap, every delete in the last', () => {
    const writes = [
      { collection: 'a', upserts: [upsert('a1', 400), upsert('a2', 400)], deletes: ['a0'] },
      { collection: 'b', upserts: [upsert('b1', 400)], deletes: ['b0'] },
    ];
    const parts = commitParts(writes, 1000);
    expect(idsOf(parts)).toEqual([
      [{ collection: 'a', upserts: ['a1', 'a2'], deletes: [] }],
      [
        { collection: 'b', upserts: ['b1'], deletes: ['b0'] },
        { collection: 'a', upserts: [], deletes: ['a0'] },
      ],
    ]);
    for (const part of parts) expect(bytesOf(part)).toBeLessThanOrEqual(1000);
  });

  it('gives a document larger than the cap a part of its own', () => {
    const parts = commitParts(
      [{ collection: 'a', upserts: [upsert('small', 10), upsert('big', 5000)], deletes: [] }],
      1000,
    );
    expect(idsOf(parts)).toEqual([
      [{ collection: 'a', upserts: ['small'], deletes: [] }],
      [{ collection: 'a', upserts: ['big'], deletes: [] }],
    ]);
  });
});
