import {
  ExportSummaryLimitError,
  summarizeListing,
  type ListedBlob,
  type SummaryLimits,
} from '../../../src/adapters/storage/export-contents';

const limits: SummaryLimits = { maxFiles: 5, maxFolders: 3, maxFolderNameLength: 10 };

/** A listing that counts how many blobs were taken from it (as Azure's pages are fetched on demand). */
function listing(blobs: readonly ListedBlob[]): { blobs: AsyncIterable<ListedBlob>; taken: () => number } {
  let taken = 0;
  return {
    blobs: (async function* () {
      for (const blob of blobs) {
        taken += 1;
        await Promise.resolve();
        yield blob;
      }
    })(),
    taken: () => taken,
  };
}

const file = (name: string, size?: number): ListedBlob => ({ name, size });

describe('summarizeListing: what an export container holds, in counters only', () => {
  it('groups by the first path segment, puts files without one under "(top level)", and sorts folders by name', async () => {
    const summary = await summarizeListing('dsr-2026-0001', [
      file('Teams/chats.json', 40),
      file('RequestInfo.json', 400),
      file('Exchange/Inbox/1.json', 1000),
      file('AzureAD/profile.json', 90),
      file('Exchange/2.json', 24),
    ]);
    expect(summary).toEqual({
      folders: [
        { name: '(top level)', files: 1, bytes: 400 },
        { name: 'AzureAD', files: 1, bytes: 90 },
        { name: 'Exchange', files: 2, bytes: 1024 },
        { name: 'Teams', files: 1, bytes: 40 },
      ],
      files: 5,
      bytes: 1554,
    });
  });

  it('counts a blob without a size as 0 bytes, and a name starting with "/" at the top level', async () => {
    expect(await summarizeListing('c', [file('Exchange/a.json'), file('/odd.json', 3)])).toEqual({
      folders: [
        { name: '(top level)', files: 1, bytes: 3 },
        { name: 'Exchange', files: 1, bytes: 0 },
      ],
      files: 2,
      bytes: 3,
    });
  });

  it('summarises nothing as nothing', async () => {
    expect(await summarizeListing('c', [])).toEqual({ folders: [], files: 0, bytes: 0 });
  });

  it('stops listing at the first blob past the file limit and makes no summary, saying why', async () => {
    const many = listing(Array.from({ length: 1000 }, (_, i) => file(`Exchange/${i}.json`, 10)));
    const err = await summarizeListing('dsr-2026-0001', many.blobs, limits).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExportSummaryLimitError);
    expect((err as Error).message).toBe(
      'The export container dsr-2026-0001 was not summarised: it holds more than 5 files.',
    );
    expect(many.taken()).toBe(6);
  });

  it('makes no summary of more folders than a record can hold, nor of a folder name too long to keep', async () => {
    const folders = ['A', 'B', 'C', 'D'].map((f) => file(`${f}/x.json`, 1));
    await expect(summarizeListing('c', folders, limits)).rejects.toThrow('more than 3 folders');
    await expect(summarizeListing('c', [file(`${'n'.repeat(11)}/x.json`, 1)], limits)).rejects.toThrow(
      'a folder name longer than 10 characters',
    );
    // Files at the top level share one folder, however many there are.
    const top = ['a', 'b', 'c', 'd', 'e'].map((n) => file(`${n}.json`, 1));
    expect((await summarizeListing('c', top, limits)).folders).toEqual([
      { name: '(top level)', files: 5, bytes: 5 },
    ]);
  });
});
