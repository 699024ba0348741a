import { destinationProblem } from '../../../src/adapters/storage/export-sas-check';

const azure =
  'https://contosoexports.blob.core.windows.net/dsr-2026-0042?sv=2025-05-05&si=export&sr=c&sig=abc';
const emulator = 'http://127.0.0.1:10000/devstoreaccount1/dsr-2026-0042?sv=2025-05-05&si=export&sr=c&sig=abc';

describe('destinationProblem: the export service’s checks, made before submitting (issue 12)', () => {
  it('takes a service SAS for one container that can create and write only', () => {
    expect(
      destinationProblem({ sasUrl: azure, permissions: 'cw', accountKind: 'StorageV2' }),
    ).toBeUndefined();
    expect(
      destinationProblem({ sasUrl: emulator, permissions: 'wc', accountKind: 'StorageV2' }),
    ).toBeUndefined();
  });

  it.each([
    ['a premium block-blob account', { accountKind: 'BlockBlobStorage' }, /no append blobs/],
    ['a SAS that can read', { permissions: 'rcw' }, /allows reading/],
    ['a SAS that can list', { permissions: 'cwl' }, /allows listing/],
    ['a create-only SAS', { permissions: 'c' }, /must allow create and write/],
    ['an account SAS', { sasUrl: `${azure}&ss=b&srt=co` }, /account SAS/],
    ['no signature', { sasUrl: azure.replace('&sig=abc', '') }, /no SAS signature/],
    ['a blob, not a container', { sasUrl: azure.replace('sr=c', 'sr=b') }, /exactly one blob container/],
    [
      'a path below the container',
      { sasUrl: azure.replace('/dsr-2026-0042?', '/dsr-2026-0042/sub?') },
      /exactly one blob container/,
    ],
  ])('refuses %s in words', (_what, change, expected) => {
    expect(
      destinationProblem({ sasUrl: azure, permissions: 'cw', accountKind: 'StorageV2', ...change }),
    ).toMatch(expected);
  });
});
