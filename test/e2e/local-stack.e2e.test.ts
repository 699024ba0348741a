import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { DEMO_BOT_ID, DEMO_TENANT_ID, DEMO_USERS } from '../../sandbox/demo-tenant';
import { freePort } from '../../sandbox/embedded-azurite';
import { chromiumPath, launchChromium, PlaygroundChat, type PageGlobals } from '../support/playground';
import { testStorageConnectionString, waitFor } from '../support/sandbox';

/**
 * End to end, as a person would: `npm start`'s orchestrator brings up Azurite, the tenant sandbox, the bot
 * and the Microsoft 365 Agents Playground; headless Chromium types in the Playground's personal chat.
 */
const root = path.resolve(__dirname, '..', '..');
const shots = path.join(root, '.local', 'e2e');
const browserPath = chromiumPath();
const inCi = process.env.CI === 'true';

if (!browserPath && !inCi) {
  // Developers without Chromium still get a green run of everything else; CI installs it (see .ci/run).
  console.warn(
    'Skipping the Playground end-to-end test: install Chromium (apt-get install chromium) or set CHROMIUM_PATH.',
  );
}
const describeE2e = browserPath || inCi ? describe : describe.skip;

interface Stack {
  readonly playgroundUrl: string;
  readonly process: ChildProcess;
  readonly output: () => string;
  stop(): Promise<void>;
}

async function startStack(as?: string, env: Record<string, string> = {}): Promise<Stack> {
  const [botPort, playgroundPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dsr-e2e-'));
  const args = [
    path.join(root, 'scripts', 'sandbox-ca.cjs'),
    process.execPath,
    path.join(root, 'dist', 'scripts', 'start.js'),
  ];
  if (as) args.push('--as', as);
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(botPort),
      PLAYGROUND_PORT: String(playgroundPort),
      AZURITE_LOCATION: dataDir,
      AAD_APP_TENANT_ID: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The stack did not get ready within 90 s:\n${output}`)),
      90000,
    );
    const check = () => {
      if (output.includes('[start] Ready.')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The stack exited (${code}) before it was ready:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    playgroundUrl: `http://127.0.0.1:${playgroundPort}/`,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

jest.setTimeout(180000);

beforeAll(() => {
  // These tests run the compiled program, as `npm start` and production do: built afresh, as `npm run build`
  // does (a file left from an older layout, say workflow.js beside workflow/, would shadow the new code).
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
});

describe('the bot process', () => {
  const entry = path.join(root, 'dist', 'src', 'index.js');

  function run(env: Record<string, string>): {
    child: ChildProcess;
    output: () => string;
    exited: Promise<number | null>;
  } {
    const child = spawn(process.execPath, [entry], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, output: () => output, exited };
  }

  it('refuses to start in production without BOT_ID, naming the variable', async () => {
    const bot = run({
      NODE_ENV: 'production',
      AAD_APP_TENANT_ID: '11111111-2222-4333-8444-555555555555',
      AZURE_STORAGE_CONNECTION_STRING: testStorageConnectionString(),
    });
    expect(await bot.exited).toBe(78);
    expect(bot.output()).toMatch(/^Configuration error: BOT_ID: is required when NODE_ENV=production/m);
  });

  it('stops cleanly on SIGTERM (exit 0) after serving', async () => {
    const port = await freePort();
    const bot = run({
      PORT: String(port),
      AAD_APP_TENANT_ID: '11111111-2222-4333-8444-555555555555',
      AZURE_STORAGE_CONNECTION_STRING: testStorageConnectionString(),
    });
    await waitFor(
      () =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.status === 200,
          () => false,
        ),
      'the bot to answer /healthz',
      30000,
    );
    expect(bot.output()).toMatch(/LOCAL MODE/);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toMatch(
      /"message":"Stopping: no new requests or jobs; finishing those in hand","signal":"SIGTERM"/,
    );
  });
});

describeE2e('the Agents Playground end to end (npm start, headless Chromium)', () => {
  let browser: Browser;

  beforeAll(async () => {
    if (!browserPath) throw new Error('CI needs Chromium for the end-to-end test: apt-get install chromium');
    mkdirSync(shots, { recursive: true });
    browser = await launchChromium(browserPath);
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Starts the stack as `as`, opens the Playground's personal chat and runs `steps`; screenshots either way. */
  async function inPlayground(
    shot: string,
    as: string | undefined,
    steps: (chat: PlaygroundChat) => Promise<void>,
    env: Record<string, string> = {},
  ) {
    const stack = await startStack(as, env);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      const chat = new PlaygroundChat(page);
      await chat.open(stack.playgroundUrl);
      await chat.waitForText('Hello! I handle data-subject export requests');
      await steps(chat);
      await page.screenshot({ path: path.join(shots, `${shot}.png`) });
    } catch (err) {
      await page.screenshot({ path: path.join(shots, `${shot}-failure.png`) }).catch(() => undefined);
      throw new Error(`${String(err)}\n--- stack output ---\n${stack.output()}`);
    } finally {
      await page.close();
      await stack.stop();
    }
  }

  it('shows the help card for help and Global Administrator for whoami as an admin', () =>
    inPlayground('whoami-admin', undefined, async (chat) => {
      const helpCards = await chat.countText('Show what I can do.');
      await chat.send('help');
      await chat.waitForText('Show what I can do.', helpCards + 1);

      await chat.send('whoami');
      await chat.waitForText('You may request and approve data exports.');
      const whoami = chat.page.locator('.ac-adaptiveCard', { hasText: 'alexw@contoso.com' }).last();
      await expect(whoami.innerText()).resolves.toMatch(/Admin roles\s+Global Administrator/);
    }));

  it('takes an export request from an admin: pick the person, confirm, and see the request id', () =>
    inPlayground('export-request-created', undefined, async (chat) => {
      await chat.send('export data for adele');
      await chat.waitForText('Several people match');
      const pick = chat.page.locator('.ac-adaptiveCard', { hasText: 'Several people match' }).last();
      const listed = await pick.innerText();
      const index = listed.indexOf('adelev@contoso.com') < listed.indexOf('adelevarga@contoso.com') ? 0 : 1;
      await pick.locator('button', { hasText: 'Choose' }).nth(index).click();

      await chat.waitForText('Submit for approval');
      const confirm = chat.page.locator('.ac-adaptiveCard', { hasText: 'Submit for approval' }).last();
      await expect(confirm.innerText()).resolves.toContain('adelev@contoso.com');
      await confirm.getByLabel(/Reference or ticket number/).fill('SR-2001');
      await confirm.getByLabel(/Justification/).fill('Subject access request received by email.');
      await confirm.locator('button', { hasText: 'Submit for approval' }).click();

      await chat.page.waitForFunction(
        () =>
          /Request DSR-\d{4}-\d{4} is waiting for approval/.test(
            (globalThis as unknown as PageGlobals).document.body.innerText,
          ),
        undefined,
        { timeout: 20000 },
      );
      const created = chat.page.locator('.ac-adaptiveCard', { hasText: 'is waiting for approval' }).last();
      await expect(created.innerText()).resolves.toMatch(/Adele Vance \(adelev@contoso\.com\)[\s\S]*SR-2001/);
    }));

  it('posts the request in the demo team channel, a second admin approves it there, and it is followed to delivery', () =>
    inPlayground(
      'approval-in-channel',
      undefined,
      async (chat) => {
        const page = chat.page;
        await chat.send('export data for isaiahl@contoso.com');
        await chat.waitForText('Submit for approval');
        const confirm = page.locator('.ac-adaptiveCard', { hasText: 'Submit for approval' }).last();
        await confirm.getByLabel(/Reference or ticket number/).fill('SR-3001');
        await confirm.getByLabel(/Justification/).fill('Subject access request received by email.');
        // Without a verified identity the request could be created, but not approved.
        await confirm.getByRole('combobox', { name: /identity verified/ }).click();
        await page.getByRole('option', { name: /own work account/ }).click();
        await confirm.locator('button', { hasText: 'Submit for approval' }).click();
        await page.waitForFunction(
          () =>
            /Request DSR-\d{4}-\d{4} is waiting for approval/.test(
              (globalThis as unknown as PageGlobals).document.body.innerText,
            ),
          undefined,
          { timeout: 20000 },
        );

        // In the team's "DSR approvals" channel: @mention the bot (through the Playground's mention picker).
        await page.getByText('DSR approvals').first().click();
        await page.locator('[role="textbox"]').first().click();
        await page.keyboard.type('@DSR');
        await page
          .locator('[role="listbox"] [role="menuitem"]', { hasText: 'DSR Export Bot' })
          .first()
          .click();
        await page.keyboard.type(' use this channel for approvals');
        await page.getByRole('button', { name: 'Post' }).click();
        await chat.waitForText('1 waiting request will be posted now');

        // The worker posts the waiting request as a new thread in the channel.
        await chat.waitForText('Data export request DSR-');
        const card = page.locator('.ac-adaptiveCard', { hasText: 'Data export request DSR-' }).last();
        await expect(card.innerText()).resolves.toMatch(
          /Waiting for a second admin to approve[\s\S]*Isaiah Langer \(isaiahl@contoso\.com\)[\s\S]*SR-3001/,
        );

        // The Playground does not refresh per viewer, so the card offers "Show my options": the requester's
        // own view says they cannot approve (four eyes) and offers Cancel instead.
        await card.locator('button', { hasText: 'Show my options' }).click();
        await chat.waitForText('you cannot approve your own request');
        const mine = page
          .locator('.ac-adaptiveCard', { hasText: 'you cannot approve your own request' })
          .last();
        await expect(mine.locator('button', { hasText: 'Cancel my request' }).count()).resolves.toBe(1);
        await expect(mine.locator('button', { hasText: 'Approve' }).count()).resolves.toBe(0);

        // The Playground has one current user per session; Megan Bowen, a second Global Administrator, clicks
        // Approve through its "Custom activity" tool (the same invoke Teams sends for Action.Execute).
        const requestId = /DSR-\d{4}-\d{4}/.exec(await card.innerText())![0];
        await page.getByText('Mock an Activity').first().click();
        await page.locator('[role="menuitem"]', { hasText: 'Custom activity' }).click();
        await page.locator('[role="dialog"] .monaco-editor').first().click();
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Delete');
        const megan = DEMO_USERS.find((u) => u.displayName === 'Megan Bowen')!;
        const channel = { id: '19:sandbox-approvals@thread.tacv2' };
        await page.keyboard.insertText(
          JSON.stringify({
            type: 'invoke',
            name: 'adaptiveCard/action',
            channelId: 'msteams',
            serviceUrl: `http://localhost:${new URL(page.url()).port}/_connector`,
            recipient: { id: DEMO_BOT_ID, name: 'DSR Export Bot' },
            from: { id: megan.teamsId, name: megan.displayName, aadObjectId: megan.id },
            conversation: {
              ...channel,
              isGroup: true,
              conversationType: 'channel',
              tenantId: DEMO_TENANT_ID,
            },
            channelData: { tenant: { id: DEMO_TENANT_ID }, channel },
            value: {
              action: { type: 'Action.Execute', verb: 'approval.approve', data: { requestId } },
              trigger: 'manual',
            },
          }),
        );
        await page.getByRole('button', { name: 'Send activity' }).click();

        // The card is updated in place for everyone, and the thread says who approved.
        await chat.waitForText('Approved by Megan Bowen on');
        await chat.waitForText('Approved by Megan Bowen. The export will be submitted to Microsoft Graph.');
        const approved = page
          .locator('.ac-adaptiveCard', { hasText: `Data export request ${requestId}` })
          .first();
        await expect(approved.innerText()).resolves.toMatch(/Approved by Megan Bowen on/);
        expect(await chat.countText('Waiting for a second admin to approve')).toBe(0);

        // The sandbox's export finishes in seconds here; the card and the thread say what it holds.
        await chat.waitForText(`The export for ${requestId}`, 1, 120_000);
        await chat.waitForText('Export completed on');
        const done = page
          .locator('.ac-adaptiveCard', { hasText: `Data export request ${requestId}` })
          .first();
        await expect(done.innerText()).resolves.toMatch(/Exchange/);

        // Alex records the delivery to the data subject on the card: the legal clock stops.
        await done.locator('button', { hasText: 'Record delivery' }).first().click();
        await done.getByLabel(/Note/).last().fill('Secure link sent by email.');
        await done.locator('button', { hasText: 'Record delivery' }).last().click();
        await chat.waitForText('Delivered to the data subject on');
      },
      { SANDBOX_EXPORT_MINUTES: '0.1' },
    ));

  it('shows no admin role for whoami to a plain user, and refuses their export request', () =>
    inPlayground('whoami-plain-user', 'Adele Vance', async (chat) => {
      await chat.send('whoami');
      await chat.waitForText('You cannot request or approve data exports');
      const whoami = chat.page.locator('.ac-adaptiveCard', { hasText: 'adelev@contoso.com' }).last();
      await expect(whoami.innerText()).resolves.toMatch(/Admin roles\s+none of the allowed roles/);

      await chat.send('export data for isaiahl@contoso.com');
      await chat.waitForText('Only admins may request or approve data exports');
      expect(await chat.countText('Submit for approval')).toBe(0);
    }));
});
