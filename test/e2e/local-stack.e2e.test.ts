import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { freePort } from '../../sandbox/embedded-azurite';
import { startStack, type Stack } from './local-stack';
import { containerNameFor } from '../../src/domain/policies';
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
    steps: (chat: PlaygroundChat, stack: Stack) => Promise<void>,
    env: Record<string, string> = {},
  ) {
    const stack = await startStack(as, env);
    // A context of its own, so that a step can open a second page beside the Playground (the console).
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    try {
      const chat = new PlaygroundChat(page);
      await chat.open(stack.playgroundUrl);
      await chat.waitForText('Hello! I handle data-subject export requests');
      await steps(chat, stack);
      await page.screenshot({ path: path.join(shots, `${shot}.png`) });
    } catch (err) {
      await page.screenshot({ path: path.join(shots, `${shot}-failure.png`) }).catch(() => undefined);
      throw new Error(`${String(err)}\n--- stack output ---\n${stack.output()}`);
    } finally {
      await context.close();
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
      async (chat, stack) => {
        const page = chat.page;
        expect(stack.consoleUrl).toMatch(/^http:\/\/localhost:\d+$/);
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

        // The Playground has one current user per session: Megan Bowen, a second Global Administrator, clicks
        // Approve in the sandbox console (a second page of the same browser), which sends Teams' invoke.
        const requestId = /DSR-\d{4}-\d{4}/.exec(await card.innerText())![0];
        const sandboxConsole = await page.context().newPage();
        try {
          await sandboxConsole.goto(stack.consoleUrl);
          const row = sandboxConsole.locator('tr', { hasText: requestId });
          await row.getByLabel('Act as').selectOption({ label: 'Megan Bowen' });
          await row.getByRole('button', { name: 'Approve', exact: true }).click();
          const answer = sandboxConsole.locator('#answers .answer', { hasText: requestId }).first();
          await answer.waitFor({ timeout: 20000 });
          await expect(answer.innerText()).resolves.toMatch(
            /approve as Megan Bowen[\s\S]*Approved by Megan Bowen on/,
          );
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

          // The card's container link leads to the console's view of the container: download RequestInfo.json.
          await chat.waitForText('Open the container in the sandbox console');
          await sandboxConsole.goto(`${stack.consoleUrl}/containers/${containerNameFor(requestId)}`);
          const file = sandboxConsole.locator('a', { hasText: 'RequestInfo.json' });
          await file.waitFor({ timeout: 20000 });
          const [download] = await Promise.all([sandboxConsole.waitForEvent('download'), file.click()]);
          expect(download.suggestedFilename()).toBe('RequestInfo.json');
          const info = JSON.parse(readFileSync(await download.path(), 'utf8')) as Record<string, unknown>;
          expect(info).toHaveProperty('CommandId');
          await sandboxConsole.screenshot({ path: path.join(shots, 'sandbox-console.png') });
        } finally {
          await sandboxConsole.close();
        }
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
