/**
 * Preloaded into the Azurite emulators of the in-flight benchmark only (never by the bot, the tests or
 * `npm start`). LokiJS 1.5, which Azurite 3.35 keeps its metadata in, answers every batch removal, even
 * of nothing, by rebuilding all binary indices of the collection (a full sort), and a batch update the same
 * way. Azurite's queue removes a batch (usually empty: expired messages) on every receive and delete, and
 * its extent collector removes message bodies one batch at a time; with 10,000 messages waiting, one
 * receive or delete costs 70-160 ms and the collector keeps the emulator's one thread busy (profiled:
 * `ensureAllIndexes` under `clearExpiredMessages` and `deleteExtent`), where Azure Queue Storage is flat.
 * These changes keep exactly the same results: removing nothing does nothing, and a small batch is removed
 * or updated one document at a time, with LokiJS maintaining the indices as it goes.
 */
'use strict';
const { Collection } = require(
  require.resolve('lokijs', { paths: [require.resolve('azurite/package.json')] }),
);

const SMALL = 64;

const removeBatchByPositions = Collection.prototype.removeBatchByPositions;
Collection.prototype.removeBatchByPositions = function removeFew(positions) {
  if (positions.length === 0) return;
  if (positions.length > SMALL) return removeBatchByPositions.call(this, positions);
  const docs = positions.map((p) => this.data[p]);
  for (const doc of docs) this.remove(doc);
};

const removeBatch = Collection.prototype.removeBatch;
Collection.prototype.removeBatch = function removeBatchUnlessEmpty(batch) {
  if (batch.length === 0) return;
  return removeBatch.call(this, batch);
};

const update = Collection.prototype.update;
Collection.prototype.update = function updateFew(doc) {
  if (!Array.isArray(doc) || doc.length > SMALL) return update.call(this, doc);
  for (const d of doc) update.call(this, d);
};
