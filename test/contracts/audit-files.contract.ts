import { FileExistsError, type AuditFiles } from '../../src/domain/records-ports';

/**
 * What every AuditFiles promises (domain/records-ports.ts): a file is written once and never replaced (a second
 * write of the name is FileExistsError and changes nothing), read back with its content type, and listed by
 * prefix in name order.
 */
export function describeAuditFilesContract(
  name: string,
  makeFiles: () => AuditFiles | Promise<AuditFiles>,
): void {
  describe(`the AuditFiles contract: ${name}`, () => {
    it('writes a file and reads it back with its content type; a missing file is undefined', async () => {
      const files = await makeFiles();
      const text = 'seq,at\r\n1,"two\nlines"\r\n';
      const stored = await files.write('trails/DSR-1/a.csv', text, 'text/csv; charset=utf-8');
      expect(stored).toMatchObject({
        name: 'trails/DSR-1/a.csv',
        bytes: Buffer.byteLength(text),
        contentType: 'text/csv; charset=utf-8',
      });
      expect(typeof stored.accountName).toBe('string');
      expect(typeof stored.containerName).toBe('string');
      const read = await files.read('trails/DSR-1/a.csv');
      expect(read?.content.toString('utf8')).toBe(text);
      expect(read?.contentType).toBe('text/csv; charset=utf-8');
      expect(await files.read('trails/DSR-1/missing.csv')).toBeUndefined();
    });

    it('never overwrites: a second write of a name is FileExistsError and the first content stays', async () => {
      const files = await makeFiles();
      await files.write('trails/DSR-1/a.jsonl', 'first\n', 'application/x-ndjson');
      await expect(files.write('trails/DSR-1/a.jsonl', 'second\n', 'application/x-ndjson')).rejects.toEqual(
        new FileExistsError('trails/DSR-1/a.jsonl'),
      );
      expect((await files.read('trails/DSR-1/a.jsonl'))?.content.toString('utf8')).toBe('first\n');
    });

    it('lets exactly one of two writes of one name at once succeed', async () => {
      const files = await makeFiles();
      const results = await Promise.allSettled([
        files.write('trails/DSR-1/race.csv', 'one', 'text/csv'),
        files.write('trails/DSR-1/race.csv', 'two', 'text/csv'),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(FileExistsError);
    });

    it('lists the files under a prefix, in name order', async () => {
      const files = await makeFiles();
      for (const n of ['trails/DSR-2/b.csv', 'trails/DSR-2/a.csv', 'trails/DSR-20/c.csv', 'reports/2026.csv'])
        await files.write(n, n, 'text/csv');
      expect(await files.list('trails/DSR-2/')).toEqual(['trails/DSR-2/a.csv', 'trails/DSR-2/b.csv']);
      expect(await files.list('trails/DSR-2')).toEqual([
        'trails/DSR-2/a.csv',
        'trails/DSR-2/b.csv',
        'trails/DSR-20/c.csv',
      ]);
      expect(await files.list('nothing/')).toEqual([]);
    });
  });
}
