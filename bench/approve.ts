import { randomUUID } from 'node:crypto';
import { TableRequestStore } from '../src/adapters/storage/request-store';
import { createApp } from '../src/compose';
import type { Config } from '../src/config';
import type { ExportRequest } from '../src/domain/export-request';
import { silentLogger } from '../src/logger';
import type { TenantSandbox } from '../sandbox/tenant-sandbox';
import { DEMO_TENANT_ID, DEMO_USERS } from '../sandbox/demo-tenant';

const CHANNEL = '19:benchapprovals@thread.tacv2';

export interface LatencySummary {
  p50: number;
  p95: number;
  max: number;
  /** The first click's time (an approver no live check confirmed in the last five minutes). */
  first: number;
}

function summarize(ms: number[]): LatencySummary {
  const s = [...ms].sort((a, b) => a - b);
  const pct = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  return { p50: pct(50), p95: pct(95), max: s[s.length - 1]!, first: ms[0]! };
}

/**
 * Invoke response time for Approve: pending requests with posted cards, approved by a second admin (her first
 * click alone, the rest 5 at a time), with the sandbox's Graph answering role checks after `graphDelayMs`.
 * Returns every click's time, the first one's too.
 */
export async function benchApprove(
  config: Config,
  storage: string,
  sandbox: TenantSandbox,
  serviceUrl: string,
  graphDelayMs: number,
  count = 40,
): Promise<LatencySummary> {
  const prefix = `b${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const app = await createApp({
    config,
    storageConnectionString: storage,
    log: silentLogger,
    tuning: { tablePrefix: prefix, startWorker: false },
  });
  const url = `${await app.listen(0, '127.0.0.1')}/api/messages`;
  const store = new TableRequestStore(storage, `${prefix}requests`);
  const [alex, megan, subject] = [DEMO_USERS[0]!, DEMO_USERS[1]!, DEMO_USERS[2]!];
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const request: ExportRequest = {
      id: `DSR-2026-${String(9000 + i)}`,
      status: 'pendingApproval',
      subject: {
        id: subject.id,
        displayName: subject.displayName,
        userPrincipalName: subject.userPrincipalName,
        mail: subject.mail,
        jobTitle: null,
        department: null,
      },
      requester: { aadObjectId: alex.id, name: alex.displayName },
      regime: 'GDPR',
      receivedDate: '2026-11-20',
      dueDate: '2026-12-20',
      reference: `BENCH-${i}`,
      justification: 'Benchmark request.',
      createdAt: new Date().toISOString(),
      requestedIn: { id: 'a:bench', type: 'personal' },
      // No approval without a verified identity (issue 14).
      identity: {
        method: 'corporateSignIn',
        note: '',
        by: { aadObjectId: 'bench', name: 'Bench' },
        at: new Date().toISOString(),
      },
      approvalCard: {
        conversationId: CHANNEL,
        activityId: `a${i}`,
        serviceUrl,
        postedAt: new Date().toISOString(),
      },
    };
    await store.create(request);
    ids.push(request.id);
  }
  const remove =
    graphDelayMs > 0
      ? sandbox.inject({ method: 'POST', path: /checkMemberObjects$/, delayMs: graphDelayMs })
      : () => undefined;
  const latencies: number[] = [];
  let next = 0;
  const approveNext = async () => {
    const id = ids[next++]!;
    const body = JSON.stringify({
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: randomUUID(),
      channelId: 'msteams',
      serviceUrl,
      from: { id: `29:${megan.teamsId}`, name: megan.displayName, aadObjectId: megan.id },
      recipient: { id: '28:bot', name: 'DSR Export Bot' },
      conversation: {
        id: `${CHANNEL};messageid=a0`,
        conversationType: 'channel',
        tenantId: DEMO_TENANT_ID,
        isGroup: true,
      },
      channelData: { tenant: { id: DEMO_TENANT_ID } },
      value: {
        action: { type: 'Action.Execute', verb: 'approval.approve', data: { requestId: id } },
        trigger: 'manual',
      },
    });
    const t0 = process.hrtime.bigint();
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    await res.arrayBuffer();
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.status !== 200) throw new Error(`Approve answered ${res.status}`);
  };
  // The first click is Megan's first in five minutes: it waits up to the full budget for Graph. Its verification
  // runs as the worker would run it, and Megan counts as recently confirmed for the others.
  await approveNext();
  for (let round = 0; round < 50 && (await app.worker.runOnce()) > 0; round++);
  await Promise.all(
    Array.from({ length: 5 }, async () => {
      while (next < ids.length) await approveNext();
    }),
  );
  remove();
  // Let the verification jobs finish so that every approval really lands.
  for (let round = 0; round < 50 && (await app.worker.runOnce()) > 0; round++);
  const approved = (await Promise.all(ids.map((id) => store.get(id)))).filter(
    // An approved request moves on to its export within the same drain: the decision is what landed.
    (r) => r?.decision?.verdict === 'approved',
  ).length;
  await app.close();
  if (approved !== ids.length) throw new Error(`Only ${approved} of ${ids.length} approvals landed`);
  return summarize(latencies);
}
