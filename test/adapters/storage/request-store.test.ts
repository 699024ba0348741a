import { randomUUID } from 'node:crypto';
import type { ExportRequest } from '../../../src/domain/export-request';
import { AlreadyExistsError } from '../../../src/domain/ports';
import { TableRequestStore } from '../../../src/adapters/storage/request-store';
import { TableAuditLog } from '../../../src/adapters/storage/audit-log';
import { testStorageConnectionString } from '../../support/sandbox';

const table = (p: string) => `${p}${randomUUID().replace(/-/g, '').slice(0, 16)}`;

function request(
  id: string,
  subjectId: string,
  createdAt: string,
  status: ExportRequest['status'] = 'pendingApproval',
): ExportRequest {
  return {
    id,
    status,
    subject: {
      id: subjectId,
      displayName: 'Adele Vance',
      userPrincipalName: 'adelev@contoso.com',
      mail: null,
      jobTitle: null,
      department: null,
    },
    requester: { aadObjectId: 'alex', name: 'Alex Wilber' },
    regime: 'GDPR',
    receivedDate: '2026-11-20',
    dueDate: '2026-12-20',
    reference: 'T-1',
    justification: 'Subject access request.',
    createdAt,
    requestedIn: { id: 'a:1', type: 'personal' },
  };
}

describe('TableRequestStore on Azurite', () => {
  it('hands out unique, consecutive ids to concurrent instances', async () => {
    const name = table('req');
    const instances = [
      new TableRequestStore(testStorageConnectionString(), name),
      new TableRequestStore(testStorageConnectionString(), name),
    ];
    const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => instances[i % 2]!.nextId(2026)));
    expect(new Set(ids).size).toBe(30);
    expect([...ids].sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `DSR-2026-${String(i + 1).padStart(4, '0')}`),
    );
    expect(await instances[0]!.nextId(2027)).toBe('DSR-2027-0001');
  });

  it('stores requests, refuses a taken id and finds the open ones of a subject, oldest first', async () => {
    const store = new TableRequestStore(testStorageConnectionString(), table('req'));
    await store.create(request('DSR-2026-0002', 'adele', '2026-11-21T10:00:00Z'));
    await store.create(request('DSR-2026-0001', 'adele', '2026-11-20T10:00:00Z'));
    await store.create(request('DSR-2026-0003', 'adele', '2026-11-19T10:00:00Z', 'cancelled'));
    await store.create(request('DSR-2026-0004', 'isaiah', '2026-11-19T10:00:00Z'));
    await expect(store.create(request('DSR-2026-0001', 'x', '2026-11-21T00:00:00Z'))).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    expect((await store.openForSubject('adele')).map((r) => r.id)).toEqual([
      'DSR-2026-0001',
      'DSR-2026-0002',
    ]);
    expect(await store.openForSubject("o'brien")).toEqual([]);
    expect((await store.get('DSR-2026-0004'))?.subject.id).toBe('isaiah');
  });
});

describe('TableAuditLog on Azurite', () => {
  it('appends events per request in time order and never overwrites', async () => {
    const log = new TableAuditLog(testStorageConnectionString(), table('audit'));
    const actor = { aadObjectId: 'alex', name: 'Alex Wilber' };
    await log.append({
      at: '2026-11-21T10:00:01.000Z',
      action: 'request.created',
      actor,
      outcome: 'ok',
      requestId: 'DSR-1',
    });
    await log.append({
      at: '2026-11-21T10:00:00.000Z',
      action: 'duplicate.acknowledged',
      actor,
      outcome: 'ok',
      requestId: 'DSR-1',
    });
    await log.append({
      at: '2026-11-21T10:00:00.000Z',
      action: 'duplicate.acknowledged',
      actor,
      outcome: 'ok',
      requestId: 'DSR-1',
    });
    await log.append({
      at: '2026-11-21T10:00:02.000Z',
      action: 'request.refused',
      actor,
      outcome: 'refused',
      detail: 'no role',
    });
    expect((await log.list('DSR-1')).map((e) => e.action)).toEqual([
      'duplicate.acknowledged',
      'duplicate.acknowledged',
      'request.created',
    ]);
    expect((await log.list()).map((e) => e.detail)).toEqual(['no role']);
  });
});
