import { createApp } from '../src/compose';
import { azuriteConnectionString, freePort } from '../sandbox/embedded-azurite';
import { readConfig } from '../src/config';
import { silentLogger } from '../src/logger';
import { ROLE } from '../sandbox/demo-tenant';
import { TableRequestStore } from '../src/adapters/storage/request-store';
import { person } from './support/activities';
import { startBotHarness } from './support/bot-harness';
import { APPROVALS_CHANNEL, approvalClick, createRequest, useApprovalsChannel } from './support/flows';
import { startSandbox, testStorageConnectionString, waitFor } from './support/sandbox';

describe('createApp', () => {
  it('fails at start-up when storage does not answer, naming the variable and not the key', async () => {
    const port = await freePort();
    const dead = azuriteConnectionString({ blob: port, queue: port, table: port });
    const config = readConfig({ AAD_APP_TENANT_ID: '11111111-2222-4333-8444-555555555555' });
    const started = createApp({ config, storageConnectionString: dead, log: silentLogger });
    await expect(started).rejects.toThrow(
      /^Azure Storage does not answer \(ECONNREFUSED\): check AZURE_STORAGE_CONNECTION_STRING/,
    );
    await expect(started).rejects.not.toThrow(/AccountKey|Eby8vdM02/);
  });
});

describe('stopping (issue 11: SIGTERM must not wait for ever on a job in hand)', () => {
  it('stops taking jobs, waits for the one in hand only within the grace period, and says so', async () => {
    const sandbox = await startSandbox();
    const lines: string[] = [];
    const log = {
      info: () => undefined,
      warn: (message: string) => lines.push(message),
      error: () => undefined,
    };
    const h = await startBotHarness({
      sandbox,
      log,
      env: { ADMIN_ROLE_TEMPLATE_IDS: ROLE.globalAdministrator },
    });
    try {
      await useApprovalsChannel(h, person('Megan Bowen'));
      const id = await createRequest(h, person('Lee Gu'), person('Alex Wilber'));
      await h.drain();
      const request = (await new TableRequestStore(testStorageConnectionString(), h.tables.requests).get(
        id,
      ))!;
      // Graph takes a minute to answer the export: the submit job will be in hand when the stop comes.
      sandbox.inject({ method: 'POST', path: 'exportPersonalData', delayMs: 60_000 });
      await h.invoke(
        approvalClick(
          h,
          'approval.approve',
          { requestId: id },
          person('Megan Bowen'),
          `${APPROVALS_CHANNEL};messageid=${request.approvalCard!.activityId}`,
        ),
      );
      h.app.worker.start();
      await waitFor(
        () => Promise.resolve(sandbox.requests.some((r) => r.path.includes('exportPersonalData'))),
        'the export POST to be in flight',
        20_000,
      );
      const started = Date.now();
      await h.app.close(300);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(lines).toContain('Stopped with jobs still running; they come back after their lease');
    } finally {
      sandbox.clearFaults();
      await h.close();
      await sandbox.close();
    }
  });
});
