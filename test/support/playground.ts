import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, or CHROMIUM_PATH. Undefined when no browser is installed. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => typeof p === 'string' && existsSync(p));
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** What page functions see (this project does not load the DOM typings). */
export interface PageGlobals {
  document: { body: { innerText: string } };
}

/** Drives the Agents Playground's chat like a person: type in the compose box, press Enter, read the chat. */
export class PlaygroundChat {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'domcontentloaded' });
    await this.page.locator('[role="textbox"]').first().waitFor({ state: 'visible', timeout: 30000 });
  }

  async send(text: string): Promise<void> {
    const box = this.page.locator('[role="textbox"]').first();
    await box.click();
    await box.fill(text);
    await box.press('Enter');
  }

  /** Waits until `text` appears at least `count` times in the page. */
  async waitForText(text: string, count = 1, timeoutMs = 20000): Promise<void> {
    await this.page.waitForFunction(
      ({ t, n }) => (globalThis as unknown as PageGlobals).document.body.innerText.split(t).length - 1 >= n,
      { t: text, n: count },
      { timeout: timeoutMs },
    );
  }

  countText(text: string): Promise<number> {
    return this.page.evaluate(
      (t) => (globalThis as unknown as PageGlobals).document.body.innerText.split(t).length - 1,
      text,
    );
  }
}
