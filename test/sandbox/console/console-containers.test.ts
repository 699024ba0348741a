import { randomUUID } from 'node:crypto';
import type { TenantSandbox } from '../../../sandbox/tenant-sandbox';
import type { SandboxConsole } from '../../../sandbox/console/console-server';
import { contentDisposition } from '../../../sandbox/console/console-data';
import { startSandbox } from '../../support/sandbox';
import { blobService } from '../containers';
import { call, startConsole } from './console-helpers';

let sandbox: TenantSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

describe('export containers and their files', () => {
  let c: SandboxConsole;
  const name = `dsr-${randomUUID()}`;
  const otherName = `other-${randomUUID()}`;
  const hostile = 'Teams/evil"; filename=evil.html;\u00e9<script>.json';
  beforeAll(async () => {
    const container = blobService().getContainerClient(name);
    await container.create();
    const put = (blob: string, text: string) =>
      container.getBlockBlobClient(blob).upload(text, Buffer.byteLength(text), {
        blobHTTPHeaders: { blobContentType: 'text/html' },
      });
    await put('RequestInfo.json', JSON.stringify({ CommandId: 'c0a70500-aaaa-4bbb-8ccc-000000000001' }));
    await put(hostile, '<script>alert(1)</script>');
    const other = blobService().getContainerClient(otherName);
    await other.create();
    await other.getBlockBlobClient('secret.txt').upload('secret', 6);
    c = await startConsole(sandbox);
  });
  afterAll(() => c.close());

  it('lists containers whose name starts with dsr-, with their files', async () => {
    const { json } = await call(c, 'GET', '/api/containers');
    const list = json as { name: string; files: { name: string; size: number }[] }[];
    expect(list.every((x) => x.name.startsWith('dsr-'))).toBe(true);
    expect(list.find((x) => x.name === name)?.files.map((f) => f.name)).toEqual([
      'RequestInfo.json',
      hostile,
    ]);
  });

  it('streams a file as a download', async () => {
    const res = await fetch(`${c.url}/api/containers/${name}/blob?name=RequestInfo.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="RequestInfo.json"; filename*=UTF-8''RequestInfo.json`,
    );
    expect(JSON.parse(await res.text())).toHaveProperty('CommandId');
  });

  it('gives a hostile blob name a safe Content-Disposition and never serves it as a page', async () => {
    const res = await fetch(`${c.url}/api/containers/${name}/blob?name=${encodeURIComponent(hostile)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="evil___filename_evil.html___script_.json"; filename*=UTF-8''evil%22%3B%20filename%3Devil.html%3B%C3%A9%3Cscript%3E.json`,
    );
    expect(await res.text()).toBe('<script>alert(1)</script>');
  });

  it('keeps line breaks and quotes of a name out of the header', () => {
    const header = contentDisposition('a/b"\r\nSet-Cookie: x=1.json');
    expect(header).toBe(
      `attachment; filename="b___Set-Cookie__x_1.json"; filename*=UTF-8''b%22%0D%0ASet-Cookie%3A%20x%3D1.json`,
    );
    expect(contentDisposition('../..')).toBe(`attachment; filename="download"; filename*=UTF-8''download`);
    expect(contentDisposition('.env')).toBe(`attachment; filename="_env"; filename*=UTF-8''.env`);
  });

  it('serves nothing outside the export containers, whatever the path says', async () => {
    const other = { name: otherName };
    for (const url of [
      `/api/containers/${other.name}/blob?name=secret.txt`,
      `/api/containers/${name}/blob?name=${encodeURIComponent(`../${other.name}/secret.txt`)}`,
      `/api/containers/${name}/blob?name=%2e%2e%2f${other.name}%2fsecret.txt`,
      `/api/containers/${name}/blob?name=missing.json`,
      `/api/containers/dsr-${randomUUID()}/blob?name=RequestInfo.json`,
      `/api/containers/${name}/blob`,
    ]) {
      const res = await fetch(`${c.url}${url}`);
      expect({ url, status: res.status }).toEqual({ url, status: 404 });
    }
  });
});
