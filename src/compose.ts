import type { ConversationReference } from 'botbuilder';
import { delay, failpointsFrom, withTimeout } from './process-helpers';
import { createGraphClient, createGraphCredential, graphScope } from './adapters/graph/graph-client';
import { graphPermissions } from './adapters/graph/token-permissions';
import { GraphDirectory } from './adapters/graph/graph-directory';
import { createHttpServer } from './adapters/http/server';
import { TableConversationReferenceStore } from './adapters/storage/conversation-reference-store';
import { tablePing, TableStore } from './adapters/storage/table-store';
import { createBot } from './adapters/teams/bot';
import { randomUUID } from 'node:crypto';
import { RecentRoles, withRoleCache } from './adapters/graph/role-cache';
import { TableAuditLog } from './adapters/storage/audit-log';
import { downloadAuditFile } from './usecases/download-audit-file';
import { composeRecords } from './compose-records';
import { TABLES, type App, type AppDeps } from './compose-parts';
import { TableSubmissionLog } from './adapters/storage/submission-log';
import { withRefusalBudget } from './usecases/bounded-audit';
import { withWorkflowLog } from './usecases/workflow-log';
import { TableDraftStore } from './adapters/storage/draft-store';
import { TableRequestStore } from './adapters/storage/request-store';
import { TableSettingsStore } from './adapters/storage/settings-store';
import { systemClock } from './domain/ports';
import { QueueJobs } from './adapters/storage/queue-jobs';
import { createTeamsNotifier } from './adapters/teams/teams-notifier';
import { TableNoticeLog } from './adapters/storage/notice-log';
import { TableDailyTasks } from './adapters/storage/daily-tasks';
import { composeWorker } from './compose-worker';
import { AfterTurn } from './usecases/after-turn';
import type { DecideDeps } from './usecases/decide-approval';
import { describeError } from './logger';
import { CLOUDS } from './config';
import { GraphExporter } from './adapters/graph/graph-exporter';
import { BlobExportDestinations } from './adapters/storage/export-destination';
import { SendPacer } from './adapters/teams/pacer';
import { DEFAULT_EXPORT_POLICY, type ExportPolicy } from './domain/policies';
import { locateExport, type ExportDeps } from './usecases/run-export';

export { TABLES, type App, type AppDeps, type Ports, type Tuning } from './compose-parts';

/** Wires configuration to adapters: the one place that knows every concrete part. No logic. */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config, log, storageConnectionString } = deps;
  const ports = deps.ports ?? {};
  const tuning = deps.tuning ?? {};
  const graphCredential = createGraphCredential(config);
  const graphClient = createGraphClient(config, graphCredential);
  const permissions = () => graphPermissions(graphCredential, graphScope(config));
  const endpoints = { graph: config.graph.endpoint, authority: config.auth.authorityHost };
  const directory = ports.directory ?? new GraphDirectory(graphClient, endpoints);
  const prefix = tuning.tablePrefix ?? config.storage.prefix ?? '';
  const referencesTable = TableStore.fromConnectionString<Partial<ConversationReference>>(
    storageConnectionString,
    `${prefix}${TABLES.conversationReferences}`,
  );
  try {
    await referencesTable.ensureTable();
  } catch (err) {
    const detail = describeError(err);
    throw new Error(
      `Azure Storage does not answer (${String(detail.code ?? detail.name)}): check AZURE_STORAGE_CONNECTION_STRING and that the account allows this host.`,
    );
  }
  const pingStorage = tablePing(storageConnectionString);
  const clock = ports.clock ?? systemClock;
  const table = (name: keyof typeof TABLES) => `${prefix}${TABLES[name]}`;
  const requests = new TableRequestStore(storageConnectionString, table('requests'));
  // Refusals are recorded once per caller, action and hour, and a bounded number an hour: nobody can flood the
  // audit table by repeating a refused action.
  const bounded = withRefusalBudget(new TableAuditLog(storageConnectionString, table('audit')), clock, {
    homeTenantId: config.tenantId,
    perHour: 500,
    othersPerHour: 50,
    onDropped: (dropped, hour) =>
      log.warn('Refused actions beyond the audit budget were not recorded', { dropped, hour }),
  });
  // Every workflow step recorded also writes one log line (ids and times, never the record's detail).
  const audit = withWorkflowLog(bounded, { log, requests });
  const settings = new TableSettingsStore(storageConnectionString, table('settings'));
  const jobs = new QueueJobs(
    storageConnectionString,
    `${prefix}jobs`,
    clock,
    tuning.timerMaxVisibilitySeconds,
    tuning.clockSpeed,
  );
  const conversationReferences = new TableConversationReferenceStore(referencesTable, config.tenantId);
  // Intake and card views may reuse a positive role answer for five minutes; decisions and whoami ask live.
  // Every live answer is remembered: a decider confirmed in the last five minutes waits less for Graph.
  const recentRoles = new RecentRoles(clock);
  const cachedDirectory = withRoleCache(directory, clock, undefined, recentRoles);
  const timing: ExportPolicy = {
    ...DEFAULT_EXPORT_POLICY,
    pollCapMs: config.exports.pollCapMs,
    cardEveryMs: config.exports.cardEveryMs,
    ...(config.exports.expectedMs !== undefined ? { expectedMs: config.exports.expectedMs } : {}),
    containerPrefix: config.exports.containerPrefix,
    // Looking for evidence never waits longer than the poll cap (a short cap in tests means short waits).
    evidenceRecheckMs: Math.min(DEFAULT_EXPORT_POLICY.evidenceRecheckMs, config.exports.pollCapMs),
    submitInFlightMs: Math.min(DEFAULT_EXPORT_POLICY.submitInFlightMs, config.exports.pollCapMs),
    ...tuning.exportTiming,
  };
  const exporter = ports.exporter ?? new GraphExporter(graphClient, config.graph.exportApiVersion, endpoints);
  const exportConnectionString =
    tuning.exportConnectionString ??
    config.storage.exportConnectionString?.reveal() ??
    storageConnectionString;
  // SAS validity is checked by Azure Storage against its own (real) clock.
  const destinations = ports.destinations ?? new BlobExportDestinations(exportConnectionString, systemClock);
  // A click is answered once its decision is stored; the effects go to the queue right after (tracked).
  const afterTurn = new AfterTurn((error) =>
    log.warn('Handing stored effects over failed; the outbox sweep sends them', {
      error: describeError(error),
    }),
  );
  const decide: DecideDeps = {
    afterTurn: afterTurn.run,
    requests,
    audit,
    jobs,
    clock,
    timing,
    approvalTimers: config.approvals,
    lastLook: (request) =>
      request.export
        ? locateExport({ destinations, exporter }, request.export.containerName)
        : Promise.resolve({ found: false }),
    directory: recentRoles.recording(directory),
    homeTenantId: config.tenantId,
    allowedRoleIds: config.adminRoleTemplateIds,
    roleCheckBudgetMs: tuning.roleCheckBudgetMs ?? 700,
    recentlyConfirmed: (userId) => recentRoles.recall(userId, config.adminRoleTemplateIds) !== undefined,
    recentRoleBudgetMs: tuning.recentRoleBudgetMs ?? 100,
    after: delay,
    newId: randomUUID,
  };
  const portal = {
    host: CLOUDS[config.cloud].portal,
    tenantId: config.tenantId,
    ...(config.storage.exportAccountResourceId
      ? { storageAccountResourceId: config.storage.exportAccountResourceId }
      : {}),
    ...(config.localConsoleUrl ? { localConsoleUrl: config.localConsoleUrl } : {}),
  };
  // Trail exports, reports and seals go to the audit container; one-time links to them are keyed by the token's
  // hash; retention deletes through the stores and leaves tombstones.
  const records = composeRecords({
    config,
    storageConnectionString,
    exportConnectionString,
    table,
    requests,
    destinations,
    audit,
    clock,
  });
  const { linkDeps } = records;
  const bot = createBot({
    config,
    directory,
    conversationReferences,
    intake: {
      directory: cachedDirectory,
      drafts: new TableDraftStore(storageConnectionString, table('drafts')),
      requests,
      audit,
      settings,
      jobs,
      clock,
      newId: randomUUID,
      homeTenantId: config.tenantId,
      allowedRoleIds: config.adminRoleTemplateIds,
      approvalsChannelId: config.approvalsChannelId,
      approvalTimers: config.approvals,
    },
    approvals: { decide, viewDirectory: cachedDirectory, log },
    // Lookups and lifecycle actions check the admin role live, as decisions do.
    requests: { lookup: decide, act: decide, portal, log },
    trails: { trails: { ...decide, ...linkDeps }, portal, log },
    records: {
      report: { ...decide, requests, tombstones: records.tombstones, files: records.files },
      links: linkDeps,
      act: decide,
      log,
    },
    graphPermissions: permissions,
    log,
  });
  const exportDeps: ExportDeps = {
    ...decide,
    exporter,
    destinations,
    submissions: new TableSubmissionLog(storageConnectionString, table('submissions')),
    log,
    failpoint: 'failpoint' in ports ? ports.failpoint : failpointsFrom(config.failpoints, log),
  };
  const notifier = createTeamsNotifier({
    adapter: bot.adapter,
    botAppId: config.bot.appId,
    tenantId: config.tenantId,
    settings,
    approvalsChannelId: config.approvalsChannelId,
    references: conversationReferences,
    portal,
    pacer: ports.pacer ?? new SendPacer(() => performance.now(), delay),
    clock,
    log,
  });
  const { worker, sweep, digest, overdueDigest, retentionSweep, sealAudit } = composeWorker({
    decide,
    exports: exportDeps,
    notifier,
    notices: new TableNoticeLog(storageConnectionString, table('notices')),
    daily: new TableDailyTasks(storageConnectionString, table('dailyTasks')),
    jobs,
    audit,
    clock,
    retryExportAfterMs: timing.pollCapMs,
    config,
    log,
    retention: records.retention,
    auditFiles: records.files,
  });
  const server = createHttpServer({
    processActivity: (req, res) => bot.conversationBot.requestHandler(req, res, bot.logic),
    checkHealth: () => withTimeout(pingStorage(), 3000),
    downloadAuditFile: (token) => downloadAuditFile(linkDeps, token),
    log,
  });

  return {
    server,
    bot,
    // A drain (tests, benches) first lets the hand-overs under way reach the queue.
    worker: { ...worker, runOnce: () => afterTurn.settled().then(() => worker.runOnce()) },
    graphPermissions: permissions,
    overdueDigest,
    retentionSweep,
    sealAudit,
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address();
          if (tuning.startWorker ?? true) {
            worker.start();
            sweep.start();
            digest.start();
          }
          resolve(`http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`);
        });
      }),
    close: async (graceMs) => {
      // Stop taking work first, then let the requests and jobs in hand finish (jobs within the grace period;
      // those still running come back after their lease, on this or another instance).
      const closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      server.server.closeIdleConnections();
      const [unfinished] = await Promise.all([
        worker.stop(graceMs),
        sweep.stop(),
        digest.stop(),
        closed.then(() => afterTurn.settled()),
      ]);
      if (unfinished > 0)
        log.warn('Stopped with jobs still running; they come back after their lease', { jobs: unfinished });
    },
  };
}
