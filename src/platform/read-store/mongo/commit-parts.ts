import mongoose from 'mongoose';
import type { CollectionWrite } from '../checkpoint-store.port';

/**
 * The most document bytes one transaction writes. MongoDB aborts a transaction that runs longer
 * than `transactionLifetimeLimitSeconds` (60 s by default) or whose changes outgrow its share of
 * the WiredTiger cache, and servers before 4.2 refused one whose oplog entry passed 16 MB; 8 MiB
 * stays well inside all three, and is still hundreds of the registry's documents.
 */
export const MAX_TRANSACTION_BYTES = 8 * 1024 * 1024;

/**
 * A commit's writes in parts of at most `maxBytes` of documents each (a larger document makes a
 * part of its own), in order, each part holding each collection at most once. Deletes all go in
 * the last part, which is the one that advances the checkpoints: until it commits, a document
 * that an earlier part wrote is merely ahead of its checkpoint, which a replay skips (the engine
 * leaves a document at or past an event's position alone), while one deleted early would be
 * rebuilt from nothing by a replay of the events before its deletion.
 */
export function commitParts(
  writes: readonly CollectionWrite[],
  maxBytes: number = MAX_TRANSACTION_BYTES,
): CollectionWrite[][] {
  const parts: CollectionWrite[][] = [];
  let part = new Map<string, CollectionWrite>();
  let bytes = 0;
  for (const write of writes) {
    for (const upsert of write.upserts) {
      const size = mongoose.mongo.BSON.calculateObjectSize({
        ...upsert.document,
        _id: upsert.id,
        _position: upsert.position,
      });
      if (bytes > 0 && bytes + size > maxBytes) {
        parts.push([...part.values()]);
        part = new Map();
        bytes = 0;
      }
      writeIn(part, write.collection).upserts.push(upsert);
      bytes += size;
    }
  }
  for (const write of writes) writeIn(part, write.collection).deletes.push(...write.deletes);
  parts.push([...part.values()]);
  return parts;
}

function writeIn(part: Map<string, CollectionWrite>, collection: string): CollectionWrite {
  let write = part.get(collection);
  if (!write) {
    write = { collection, upserts: [], deletes: [] };
    part.set(collection, write);
  }
  return write;
}
