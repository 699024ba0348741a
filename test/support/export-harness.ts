import { ROLE } from '../../sandbox/demo-tenant';
import type { SandboxOptions, TenantSandbox } from '../../sandbox/tenant-sandbox';
import { TableAuditLog } from '../../src/adapters/storage/audit-log';
import { TableRequestStore } from '../../src/adapters/storage/request-store';
import { SendPacer } from '../../src/adapters/teams/pacer';
import type { ExportRequest } from '../../src/domain/export-request';
import type { Logger } from '../../src/logger';
import { person } from './activities';
import { startBotHarness, type BotHarness } from './bot-harness';
import { APPROVALS_CHANNEL, approvalClick, createRequest, useApprovalsChannel } from './flows';
import { startSandbox, testStorageConnectionString } from './sandbox';

/** A clock the test moves; the sandbox (Graph) and the bot share it. */
export function movableClock() {
  let t = Date.now();
  return {
    now: () => new Date(t),
    set: (d: Date) => {
      t = Math.max(t, d.getTime());
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

function recordingLogger(lines: string[]): Logger {
  const rec = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { info: rec('info'), warn: rec('warn'), error: rec('error') };
}

/** One export operation as the sandbox keeps it. */
type SandboxOperation = TenantSandbox['operations'] extends Map<string, infer O> ? O : never;

export interface ExportHarness {
  readonly h: BotHarness;
  readonly sandbox: TenantSandbox;
  readonly clock: ReturnType<typeof movableClock>;
  readonly logLines: string[];
  stored(id: string): Promise<ExportRequest>;
  audit(id: string): ReturnType<TableAuditLog['list']>;
  /** Creates a request for `subject` (asked by Alex) and has Megan approve it; runs the jobs due now. */
  approved(subject?: ReturnType<typeof person>): Promise<ExportRequest>;
  /** A click by Megan on the request's approval card. */
  click(verb: string, r: ExportRequest): ReturnType<typeof approvalClick>;
  /** Moves the clock to each job the request waits for and runs it, until `done` or `maxSteps`. */
  follow(id: string, done: (r: ExportRequest) => boolean, maxSteps?: number): Promise<ExportRequest>;
  threadTexts(r: ExportRequest): string[];
  requesterTexts(r: ExportRequest): string[];
  /** The POSTs of exportPersonalData Graph received for a subject. */
  submissions(subjectId: string): TenantSandbox['requests'];
  /** The operations Graph started into a container. */
  operationsFor(container: string): SandboxOperation[];
  close(): Promise<void>;
}

/**
 * The bot and the tenant sandbox on one moved clock, with an approvals channel, for export tests: days pass in
 * seconds. `sandboxOptions` shape the export service (variants, throttles, headers).
 */
export async function startExportHarness(
  sandboxOptions: Partial<SandboxOptions> = {},
  retryAfterSeconds = 60,
): Promise<ExportHarness> {
  const clock = movableClock();
  const logLines: string[] = [];
  const megan = person('Megan Bowen');
  const sandbox = await startSandbox({
    now: clock.now,
    retryAfterSeconds,
    exportDurationMs: 3 * 24 * 3600_000,
    ...sandboxOptions,
  });
  const h = await startBotHarness({
    sandbox,
    clock,
    timerMaxVisibilitySeconds: 0,
    log: recordingLogger(logLines),
    env: { ADMIN_ROLE_TEMPLATE_IDS: ROLE.globalAdministrator },
    // Days pass in seconds here: Teams' per-conversation limits would (rightly) hold the card updates back.
    pacer: new SendPacer(
      () => performance.now(),
      (ms) => new Promise((r) => setTimeout(r, ms)),
      {
        perConversation: [{ count: 10_000, windowMs: 1000 }],
        perApp: [{ count: 10_000, windowMs: 1000 }],
      },
    ),
  });
  await useApprovalsChannel(h, megan);
  const requests = () => new TableRequestStore(testStorageConnectionString(), h.tables.requests);
  const stored = async (id: string) => (await requests().get(id)) as ExportRequest;
  const click = (verb: string, r: ExportRequest) =>
    approvalClick(
      h,
      verb,
      { requestId: r.id },
      megan,
      `${APPROVALS_CHANNEL};messageid=${r.approvalCard!.activityId}`,
    );
  return {
    h,
    sandbox,
    clock,
    logLines,
    stored,
    audit: (id) => new TableAuditLog(testStorageConnectionString(), h.tables.audit).list(id),
    click,
    async approved(subject = person('Isaiah Langer')) {
      const id = await createRequest(h, subject, person('Alex Wilber'));
      await h.drain();
      const pending = await stored(id);
      const { status } = await h.invoke(click('approval.approve', pending));
      if (status !== 200) throw new Error(`approve answered ${status}`);
      await h.drain();
      return stored(id);
    },
    async follow(id, done, maxSteps = 200) {
      for (let step = 0; step < maxSteps; step++) {
        const r = await stored(id);
        if (done(r)) return r;
        const next = r.export?.nextAt;
        if (!next) throw new Error(`${id} waits for nothing (status ${r.status})`);
        clock.set(new Date(next));
        await h.drain();
      }
      throw new Error(`${id} not done after ${maxSteps} steps`);
    },
    threadTexts: (r) =>
      h.connector
        .sentTo(`${APPROVALS_CHANNEL};messageid=${r.approvalCard!.activityId}`)
        .map((a) => a.text ?? ''),
    requesterTexts: (r) => h.connector.sentTo(r.requestedIn.id).map((a) => a.text ?? ''),
    submissions: (subjectId) =>
      sandbox.requests.filter(
        (q) => q.method === 'POST' && q.path.includes(`/users/${subjectId}/exportPersonalData`),
      ),
    operationsFor: (container) =>
      [...sandbox.operations.values()].filter((o) =>
        new URL(o.storageLocation).pathname.endsWith(`/${container}`),
      ),
    close: async () => {
      await h.close();
      await sandbox.close();
    },
  };
}
