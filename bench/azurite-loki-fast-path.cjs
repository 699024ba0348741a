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
const Loki = require(require.resolve('lokijs', { paths: [require.resolve('azurite/package.json')] }));

const { Collection, Resultset } = Loki;
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

/*
 * Queries name several properties, and LokiJS uses an index only for the first one: Azurite puts the
 * account first (the same for every message, container and blob), so finding one message by id, the
 * visible ones, a container by name or a blob in its container scans them all. The same query with its
 * most selective indexed property first has the same answer (the properties are ANDed; callers sort what
 * they need sorted). Messages also get the indices Azurite meant to have (it declares `visibleTime`, a
 * property messages do not have).
 */
const SELECTIVE = ['messageId', 'RowKey', 'containerName', 'name', 'expirationTime', 'timeNextVisible'];

const find = Resultset.prototype.find;
Resultset.prototype.find = function findSelectiveFirst(query, firstOnly) {
  if (query && typeof query === 'object' && !Array.isArray(query)) {
    const keys = Object.keys(query);
    const first = keys.length > 1 && SELECTIVE.find((k) => k in query && this.collection.binaryIndices[k]);
    if (first && keys[0] !== first) {
      const reordered = { [first]: query[first] };
      for (const k of keys) if (k !== first) reordered[k] = query[k];
      return find.call(this, reordered, firstOnly);
    }
  }
  return find.call(this, query, firstOnly);
};

const addCollection = Loki.prototype.addCollection;
Loki.prototype.addCollection = function addCollectionWithIndices(name, options) {
  if (name === '$MESSAGES_COLLECTION$' && options && Array.isArray(options.indices)) {
    options = { ...options, indices: [...options.indices, 'timeNextVisible', 'expirationTime'] };
  }
  return addCollection.call(this, name, options);
};
