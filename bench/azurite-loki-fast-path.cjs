/**
 * Preloaded into the Azurite emulator by the in-flight benchmark only (never by the bot, the tests or
 * `npm start`). Azurite 3.35's queue calls LokiJS `remove(expiredMessages)` on every receive and delete,
 * usually with an empty array, and LokiJS 1.5 answers every batch remove, even an empty one, by rebuilding
 * all four binary indices of the messages collection (a full sort); a batch `update` rebuilds them as well.
 * With 10,000 messages waiting, one receive or delete then costs 70-160 ms (profiled: `ensureAllIndexes`
 * under `clearExpiredMessages`), where Azure Queue Storage is flat. These two changes keep exactly the same
 * results: removing nothing does nothing, and a batch update is the same updates one by one with the
 * indices maintained as they go.
 */
'use strict';
const { Collection } = require(
  require.resolve('lokijs', { paths: [require.resolve('azurite/package.json')] }),
);

const remove = Collection.prototype.remove;
Collection.prototype.remove = function removeUnlessEmpty(doc) {
  if (Array.isArray(doc) && doc.length === 0) return;
  return remove.call(this, doc);
};

const update = Collection.prototype.update;
Collection.prototype.update = function updateOneByOne(doc) {
  if (!Array.isArray(doc)) return update.call(this, doc);
  for (const d of doc) update.call(this, d);
};
