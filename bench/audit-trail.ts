import { TableClient, type TransactionAction } from '@azure/data-tables';
import { randomUUID } from 'node:crypto';
import { HEAD_ROW, TableAuditLog, sha256 } from '../src/adapters/storage/audit-log';
import { StorageCalls } from '../src/adapters/storage/storage-calls';
import { isLocal } from '../src/adapters/storage/table-store';
import type { AuditEvent } from '../src/domain/audit';
import { nextLink, sealOf, type ChainHead } from '../src/domain/audit-chain';

/** Entity-group transactions hold at most 100 operations. */
const BATCH = 100;
const TRAIL = 'DSR-2026-0042';

export interface AuditTrailFigures {
  readonly entries: number;
  /** Writing the trail straight into the table (batches of 100, the log's own chain algorithm). */
  readonly seedMs: number;
  /** `trail()` of the whole trail, read and verified, once the log's table is known to exist. */
  readonly p50: number;
  readonly p95: number;
  readonly callsPerTrail: number;
  /** Storage calls of one `append` to the long trail through the log (head read, one transaction). */
  readonly callsPerAppend: number;
  /** `heads()` over the table (one trail here): the seal's only read of the trail table. */
  readonly headsMs: number;
  readonly callsPerHeads: number;
}

/** The n-th entry of the benchmark trail: a mix of the events a long-running request collects. */
function entry(n: number): AuditEvent {
  const actions = [
    'request.viewed',
    'export.statusChanged',
    'notification.sent',
    'request.reminded',
  ] as const;
  return {
    at: new Date(Date.parse('2026-11-01T00:00:00.000Z') + n * 60_000).toISOString(),
    action: actions[n % actions.length]!,
    actor: { aadObjectId: 'c0a70500-0000-4000-8000-000000000901', name: 'Bench Admin' },
    outcome: 'ok',
    requestId: TRAIL,
    subjectId: 'c0a70500-0000-4000-8000-000000000999',
    detail: `benchmark entry ${n}: export status running (was running)`,
  };
}

/** Writes an `entries`-long chained trail and its head directly, as TableAuditLog would have, in batches. */
async function seed(client: TableClient, entries: number): Promise<void> {
  let head: ChainHead | undefined;
  const batches: TransactionAction[][] = [];
  for (let n = 1; n <= entries; n++) {
    const event = entry(n);
    const link = nextLink(sha256, head, () => sealOf(sha256, []), event);
    head = { seq: link.seq, hash: link.hash };
    if ((n - 1) % BATCH === 0) batches.push([]);
    batches.at(-1)!.push([
      'create',
      {
        partitionKey: TRAIL,
        rowKey: `c~${String(link.seq).padStart(10, '0')}`,
        json: JSON.stringify(event),
        action: event.action,
        outcome: event.outcome,
        actorId: event.actor.aadObjectId ?? '',
        ...link,
      },
    ]);
  }
  await Promise.all(batches.map((actions) => client.submitTransaction(actions)));
  if (head)
    await client.createEntity({ partitionKey: TRAIL, rowKey: HEAD_ROW, seq: head.seq, hash: head.hash });
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * Issue 16's figure: how long verifying a long audit trail takes, and what it costs in storage calls. Writes a
 * trail of `entries` (default 1,000) into a fresh table of `storage`, then reads and verifies it `reads` times
 * with `trail()`, counting the HTTP requests to storage (retries included) with an extra pipeline policy.
 * Throws when the trail does not verify whole: a figure of a broken chain would mean nothing.
 */
export async function benchAuditTrail(
  storage: string,
  options: { readonly entries?: number; readonly reads?: number } = {},
): Promise<AuditTrailFigures> {
  const entries = options.entries ?? 1000;
  const reads = options.reads ?? 20;
  const table = `benchaudit${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const raw = TableClient.fromConnectionString(storage, table, {
    allowInsecureConnection: isLocal(storage),
  });
  await raw.createTable();
  let t0 = performance.now();
  await seed(raw, entries);
  const seedMs = performance.now() - t0;

  const calls = new StorageCalls();
  const log = new TableAuditLog(storage, table, sha256, { additionalPolicies: [calls.policy] });
  const first = await log.trail(TRAIL); // creates the table client's "table exists" promise
  if (!first.verification.valid || first.verification.chained !== entries)
    throw new Error(
      `The benchmark trail did not verify: ${JSON.stringify(first.verification.problems.slice(0, 3))}.`,
    );

  const latencies: number[] = [];
  let before = calls.count;
  for (let i = 0; i < reads; i++) {
    t0 = performance.now();
    await log.trail(TRAIL);
    latencies.push(performance.now() - t0);
  }
  const callsPerTrail = (calls.count - before) / reads;
  latencies.sort((a, b) => a - b);

  before = calls.count;
  await log.append(entry(entries + 1));
  const callsPerAppend = calls.count - before;

  before = calls.count;
  t0 = performance.now();
  const heads = await log.heads();
  const headsMs = performance.now() - t0;
  if (heads.length !== 1 || heads[0]!.seq !== entries + 1)
    throw new Error(`heads() listed ${JSON.stringify(heads)}, not the benchmark trail at ${entries + 1}.`);

  return {
    entries,
    seedMs,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    callsPerTrail,
    callsPerAppend,
    headsMs,
    callsPerHeads: calls.count - before,
  };
}

/** The bench's report line. */
export function auditTrailLine(f: AuditTrailFigures): string {
  return (
    `audit trail of ${f.entries.toLocaleString('en-US')} entries, read and verified with trail(): ` +
    `p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, ${f.callsPerTrail.toFixed(0)} storage calls\n` +
    `    an append to it: ${f.callsPerAppend} storage calls; heads(): ${f.headsMs.toFixed(1)} ms, ` +
    `${f.callsPerHeads} storage call; seeding took ${f.seedMs.toFixed(0)} ms`
  );
}
