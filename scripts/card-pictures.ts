import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { approvalCard } from '../src/cards/approval-card';
import type { AdaptiveCard } from '../src/cards/render';
import { requestListCard } from '../src/cards/request-list-card';
import { requestStatusCard } from '../src/cards/request-status-card';
import { timelineOf } from '../src/cards/timeline';
import { auditTrailCard } from '../src/cards/audit-trail-card';
import { reportCard } from '../src/cards/report-card';
import { ADELE, APPROVAL_PICTURES, AUDIT, OPEN, PORTAL, TODAY } from './card-pictures-samples';
import { REPORT, TRAIL } from './card-pictures-records';

/**
 * `npm run pictures`: draws the README's pictures of the request status card (`status DSR-2026-0042`), of
 * the open requests card and of the approval card in four states (pending, exporting, completed, delivered),
 * and of the records (`audit DSR-…`, `report 2026`), with the Adaptive Cards JS renderer in headless Chromium and a Teams-like host config (the samples are in
 * card-pictures-samples.ts). Nothing is downloaded: the renderer comes from node_modules and every network request is refused.
 */

const root = path.resolve(__dirname, '..', '..');
const out = path.join(root, 'docs', 'images');

const fg = (color: string, subtle: string) => ({ default: color, subtle });
/** Teams' light theme (Fluent 2 foreground colours). */
const FOREGROUND = {
  default: fg('#242424', '#616161'),
  accent: fg('#5b5fc7', '#7f85f5'),
  good: fg('#0e700e', '#107c10'),
  warning: fg('#bc4b09', '#da6f25'),
  attention: fg('#c50f1f', '#d13438'),
};
const FONT =
  "'Segoe UI', 'Segoe UI Web (West European)', 'Helvetica Neue', 'Liberation Sans', Arial, sans-serif";
const style = (backgroundColor: string) => ({ backgroundColor, foregroundColors: FOREGROUND });
const HOST_CONFIG = {
  fontFamily: FONT,
  fontSizes: { small: 12, default: 14, medium: 16, large: 18, extraLarge: 24 },
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#e0e0e0' },
  containerStyles: { default: style('#ffffff'), emphasis: style('#f5f5f5'), warning: style('#fff9f5') },
  actions: { maxActions: 5, buttonSpacing: 8, actionsOrientation: 'horizontal', actionAlignment: 'left' },
  factSet: { title: { weight: 'bolder', wrap: true, maxWidth: 150 }, value: { wrap: true }, spacing: 12 },
};

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; background: #f5f5f5; font-family: ${FONT}; }
  #frame { width: 520px; box-sizing: border-box; padding: 12px; background: #f5f5f5; }
  #card { background: #fff; border: 1px solid #e0e0e0; border-radius: 6px; overflow: hidden; }
  .ac-pushButton { font: 600 14px ${FONT}; color: #242424; background: #fff; border: 1px solid #d1d1d1;
    border-radius: 4px; padding: 5px 10px; min-height: 32px; }
  /* Teams wraps buttons that do not fit on one row: the renderer would cut them off (its spacers go). */
  .ac-actionSet { flex-wrap: wrap; gap: 8px; }
  .ac-actionSet > div { display: none; }
</style></head><body><div id="frame"><div id="card"></div></div></body></html>`;

/** What the page script sees (the renderer and the DOM), as far as it is used here. */
interface InPage {
  readonly AdaptiveCards: { AdaptiveCard: CardClass; HostConfig: new (json: object) => unknown };
  readonly document: { getElementById(id: string): { replaceChildren(...nodes: unknown[]): void } | null };
}
interface CardClass {
  new (): { hostConfig: unknown; parse(json: object): void; render(): unknown };
  onProcessMarkdown?: (text: string, result: { didProcess: boolean; outputHtml?: string }) => void;
}

async function picture(page: Page, card: AdaptiveCard, file: string): Promise<void> {
  await page.evaluate(
    ({ json, config }) => {
      const g = globalThis as unknown as InPage;
      // The cards escape outside text for Markdown: undo the escapes as Teams does, and render no HTML.
      g.AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
        const plain = text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
        // Bold (**…**) as Teams shows it; nothing else of Markdown is used by the cards.
        result.outputHtml = plain
          .replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
          .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
        result.didProcess = true;
      };
      const ac = new g.AdaptiveCards.AdaptiveCard();
      ac.hostConfig = new g.AdaptiveCards.HostConfig(config);
      ac.parse(json);
      g.document.getElementById('card')?.replaceChildren(ac.render());
    },
    { json: card, config: HOST_CONFIG },
  );
  await page.locator('#frame').screenshot({ path: path.join(out, file) });
  process.stdout.write(`[pictures] ${path.relative(root, path.join(out, file))}\n`);
}

async function main(): Promise<void> {
  const args =
    '--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update';
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: `${args} --disable-sync --no-first-run`.split(' '),
  });
  try {
    const page = await browser.newPage({ viewport: { width: 544, height: 900 }, deviceScaleFactor: 1 });
    await page.route('**/*', (route) => route.abort());
    await page.setContent(PAGE);
    await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.js') });
    const timeline = timelineOf(AUDIT);
    const status = requestStatusCard({ request: ADELE, today: TODAY, timeline, portal: PORTAL });
    await picture(page, status, 'status-card.png');
    const open = { title: 'Open requests', list: 'open', items: OPEN, total: 9, today: TODAY } as const;
    await picture(page, requestListCard({ ...open, page: 0, pageSize: 6 }), 'open-requests-card.png');
    for (const { file, model } of APPROVAL_PICTURES) await picture(page, approvalCard(model), file);
    await picture(page, auditTrailCard(TRAIL), 'audit-trail-card.png');
    await picture(page, reportCard(REPORT), 'report-card.png');
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[pictures] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
