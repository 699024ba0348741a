import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { startLocalConnector, type LocalConnector } from '../../sandbox/local-connector';
import { botEnvFor, type TenantSandbox } from '../../sandbox/tenant-sandbox';
import { TableAuditLog } from '../../src/adapters/storage/audit-log';
import { freePort } from '../../sandbox/embedded-azurite';
import { QueueJobs } from '../../src/adapters/storage/queue-jobs';
import { TableRequestStore } from '../../src/adapters/storage/request-store';
import type { ExportRequest } from '../../src/domain/export-request';
import { DEFAULT_EXPORT_POLICY } from '../../src/domain/policies';
import { seededRequest } from '../../sandbox/seed-requests';
import { systemClock } from '../../src/domain/ports';
import { applyEvent } from '../../src/usecases/apply-event';
import { person } from '../support/activities';
import { startSandbox, testStorageConnectionString, waitFor } from '../support/sandbox';

/**
 * Crash safety with real processes: compiled bots share Azurite, the tenant sandbox (as Graph) and a local
 * connector (as Teams). Each bot kills itself (SIGKILL, no clean-up) at random at the named failpoints:
 * before submitting, after Graph accepted but before the answer is stored, after a poll, before a notice.
 * A supervisor restarts whatever died. Every request must end complete with exactly one export and exactly
 * one completion notice in its thread and in its requester's chat.
 */
const root = path.resolve(__dirname, '..', '..');
const build = path.join(root, '.local', 'crash-dist');
const CHANNEL = '19:crashtest000000000000000000000@thread.tacv2';
const FAILPOINTS = 'submit.before=0.08,submit.after=0.15,poll.after=0.04,notify.before=0.04';
const REQUESTS = Number(process.env.CRASH_REQUESTS ?? 16);

jest.setTimeout(240_000);

beforeAll(() => {
  // The compiled program, as production runs it (its own output folder: other suites build dist/).
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', build],
    { cwd: root, stdio: 'inherit' },
  );
});

interface Fleet {
  readonly restarts: () => number;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** Runs `count` bot processes and restarts any that dies, until stopped. */
async function startFleet(count: number, env: Record<string, string>): Promise<Fleet> {
  let stopping = false;
  let restarts = 0;
  let output = '';
  const children = new Set<ChildProcess>();
  const launch = async () => {
    const child = spawn(process.execPath, [path.join(build, 'src', 'index.js')], {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(await freePort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', () => {
      children.delete(child);
      if (stopping) return;
      restarts += 1;
      void launch();
    });
  };
  for (let i = 0; i < count; i++) await launch();
  return {
    restarts: () => restarts,
    output: () => output,
    stop: async () => {
      stopping = true;
      await Promise.all(
        [...children].map(
          (c) =>
            new Promise<void>((resolve) => {
              c.once('exit', () => resolve());
              c.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}

describe('crash safety: bots killed at random points and restarted (Azurite, sandbox, local connector)', () => {
  let sandbox: TenantSandbox;
  let connector: LocalConnector;
  beforeAll(async () => {
    sandbox = await startSandbox({ retryAfterSeconds: 1, exportDurationMs: 3000 });
    connector = await startLocalConnector();
  });
  afterAll(async () => {
    await connector.close();
    await sandbox.close();
  });

  /** Approved requests, as the approval card leaves them: the export is the next job. */
  const meganActor = { aadObjectId: person('Megan Bowen').id, name: 'Megan Bowen' };
  const depsFor = (prefix: string) => {
    const cs = testStorageConnectionString();
    return {
      requests: new TableRequestStore(cs, `${prefix}requests`),
      audit: new TableAuditLog(cs, `${prefix}audit`),
      jobs: new QueueJobs(cs, `${prefix}jobs`, systemClock),
      clock: systemClock,
      timing: { ...DEFAULT_EXPORT_POLICY, containerPrefix: prefix },
      newId: randomUUID,
    };
  };

  async function seed(prefix: string): Promise<ExportRequest[]> {
    const deps = depsFor(prefix);
    const megan = person('Megan Bowen');
    const made: ExportRequest[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const request = seededRequest(i, { serviceUrl: connector.serviceUrl, channel: CHANNEL, tag: prefix });
      await deps.requests.create(request);
      const approved = await applyEvent(deps, request.id, {
        type: 'approve',
        by: { aadObjectId: megan.id, name: megan.displayName },
      });
      expect(approved.ok).toBe(true);
      made.push(request);
    }
    return made;
  }

  async function scenario(processes: number) {
    const prefix = `c${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const requests = await seed(prefix);
    const deps = depsFor(prefix);
    const store = deps.requests;
    const confirmed = new Set<string>();
    const fleet = await startFleet(processes, {
      AZURE_STORAGE_CONNECTION_STRING: testStorageConnectionString(),
      STORAGE_PREFIX: prefix,
      ...botEnvFor(sandbox),
      EXPORT_POLL_MAX_MINUTES: '0.02',
      WORKER_LEASE_SECONDS: '5',
      // One job at a time per process: a kill then lands at the failpoint of the job in hand, not in the
      // instant between Teams accepting another job's notice and its record (Teams has no idempotency key;
      // docs/architecture.md, "Delivery guarantees").
      WORKER_CONCURRENCY: '1',
      DSR_FAILPOINTS: FAILPOINTS,
      LOG_LEVEL: 'warn',
    });
    try {
      const done = (r: ExportRequest) =>
        connector
          .sentTo(`${CHANNEL};messageid=${r.approvalCard!.activityId}`)
          .some((a) => a.text?.startsWith(`The export for ${r.id}`)) &&
        connector.sentTo(r.requestedIn.id).some((a) => a.text?.includes('is complete'));
      await waitFor(
        async () => {
          const stored = await Promise.all(requests.map((r) => store.get(r.id)));
          for (const r of stored) {
            // A kill between the write-ahead mark and the POST leaves no evidence: the channel is asked, and
            // an admin confirms (the click itself is tested in run-export.test.ts).
            if (r?.status === 'outcomeUnknown' && r.export?.unknown?.askedAt) {
              confirmed.add(r.id);
              await applyEvent(deps, r.id, { type: 'resubmit', by: meganActor });
            }
          }
          return stored.every((r) => r?.status === 'completed') && requests.every(done);
        },
        `all ${REQUESTS} exports to complete and be announced`,
        Number(process.env.CRASH_WAIT_MS ?? 200_000),
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${fleet.output().slice(-4000)}`);
      });
    } finally {
      await fleet.stop();
    }
    const kills = fleet.output().match(/Failpoint: killing the process/g)?.length ?? 0;
    for (const r of requests) {
      const containers = [...sandbox.operations.values()].filter((o) =>
        new URL(o.storageLocation).pathname.split('/').pop()!.startsWith(`${prefix}-${r.id.toLowerCase()}`),
      );
      expect({ id: r.id, exports: containers.length }).toEqual({ id: r.id, exports: 1 });
      if (!confirmed.has(r.id))
        expect(containers[0]!.storageLocation).toContain(`/${prefix}-${r.id.toLowerCase()}?`);
      const thread = connector.sentTo(`${CHANNEL};messageid=${r.approvalCard!.activityId}`);
      expect(thread.filter((a) => a.text?.startsWith(`The export for ${r.id}`))).toHaveLength(1);
      expect(thread.filter((a) => a.text?.startsWith('Approved by'))).toHaveLength(1);
      const requester = connector.sentTo(r.requestedIn.id);
      expect(requester.filter((a) => a.text?.includes('is complete'))).toHaveLength(1);
    }
    process.stderr.write(
      `crash scenario (${processes} process${processes > 1 ? 'es' : ''}): ${kills} kills, ${fleet.restarts()} restarts, ${confirmed.size} resubmissions confirmed by an admin\n`,
    );
    return { kills, restarts: fleet.restarts() };
  }

  it('one bot process, killed again and again: every request ends with one export and one notice each', async () => {
    const { kills, restarts } = await scenario(1);
    expect(kills).toBeGreaterThan(0);
    expect(restarts).toBeGreaterThanOrEqual(kills);
  });

  it('two bot processes sharing the storage, both killed at random: the same', async () => {
    const { kills } = await scenario(2);
    expect(kills).toBeGreaterThan(0);
  });
});
