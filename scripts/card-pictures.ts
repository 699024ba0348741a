import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { DEMO_TENANT_ID, DEMO_USERS } from '../sandbox/demo-tenant';
import type { AdaptiveCard } from '../src/cards/render';
import { requestListCard } from '../src/cards/request-list-card';
import { requestStatusCard } from '../src/cards/request-status-card';
import { timelineOf } from '../src/cards/timeline';
import type { AuditAction, AuditEvent } from '../src/domain/audit';
import type { Actor, ExportRequest, Regime, RequestStatus } from '../src/domain/export-request';
import { dueDate } from '../src/domain/policies';

/**
 * `npm run pictures`: draws the README's pictures of the request status card (`status DSR-2026-0042`) and of
 * the open requests card, with the Adaptive Cards JS renderer in headless Chromium and a Teams-like host
 * config. Nothing is downloaded: the renderer comes from node_modules and every network request is refused.
 */

const root = path.resolve(__dirname, '..', '..');
const out = path.join(root, 'docs', 'images');
const TODAY = '2026-12-10';

/** A person of the demo tenant, as the directory describes them and as Teams names them. */
function person(name: string) {
  const u = DEMO_USERS.find((x) => x.displayName === name);
  if (!u) throw new Error(`${name} is not in the demo tenant`);
  const { id, displayName, userPrincipalName, mail, jobTitle, department } = u;
  const actor: Actor = { aadObjectId: id, name };
  return { actor, user: { id, displayName, userPrincipalName, mail, jobTitle, department } };
}

const ALEX = person('Alex Wilber').actor;
const MEGAN = person('Megan Bowen').actor;
const PATTI = person('Patti Fernandez').actor;

/** A request Alex Wilber entered, due when its regime says. */
function request(n: number, name: string, regime: Regime, received: string, status: RequestStatus) {
  return {
    id: `DSR-2026-${String(n).padStart(4, '0')}`,
    status,
    subject: person(name).user,
    requester: ALEX,
    regime,
    receivedDate: received,
    dueDate: dueDate(regime, received),
    reference: `SR-${1000 + n}`,
    justification: 'Access request received by email.',
    createdAt: `${received}T10:00:00Z`,
    requestedIn: { id: 'a:1', type: 'personal' },
  } satisfies ExportRequest;
}

/** Adele Vance's GDPR request: identity checked, approved, exported, then extended by a month. */
const adele = request(42, 'Adele Vance', 'GDPR', '2026-11-20', 'completed');
const extension = { by: PATTI, at: '2026-12-08T16:40:00Z', fromDue: adele.dueDate, toDue: '2027-01-20' };
const FOLDERS = [
  { name: 'Exchange', files: 31, bytes: 1_503_238_553 },
  { name: 'OneDrive', files: 18, bytes: 396_361_728 },
  { name: 'Teams', files: 11, bytes: 12_897_484 },
  { name: 'AzureAD', files: 3, bytes: 104_859 },
];
const sum = (key: 'files' | 'bytes') => FOLDERS.reduce((n, f) => n + f[key], 0);
const done = '2026-11-23T07:58:41Z';
const ADELE: ExportRequest = {
  ...adele,
  requester: PATTI,
  justification: 'Article 15 access request sent to privacy@contoso.com.',
  dueDate: extension.toDue,
  identity: { method: 'hrRecords', note: 'employee no. 20417', by: PATTI, at: '2026-11-20T14:05:00Z' },
  decision: { verdict: 'approved', by: MEGAN, at: '2026-11-21T09:12:00Z', firstAttempt: 1 },
  extensions: [{ ...extension, reason: 'nine years of mailbox archive to review for third-party data' }],
  export: {
    attempt: 1,
    containerName: 'dsr-2026-0042',
    accountName: 'contosodsrexports',
    throttled: 0,
    polls: 14,
    pollErrors: 0,
    lastCheckedAt: done,
    completedAt: done,
    contents: { files: sum('files'), bytes: sum('bytes'), folders: FOLDERS },
  },
};

function event(at: string, action: AuditAction, who?: Actor): AuditEvent {
  return { at: `2026-${at}:00Z`, action, actor: who ?? {}, outcome: 'ok', requestId: ADELE.id };
}

/** Its audit trail, noise included (the timeline leaves out the notice sent). */
const AUDIT: AuditEvent[] = [
  event('11-20T13:52', 'request.created', PATTI),
  event('11-20T14:05', 'identity.recorded', PATTI),
  event('11-20T14:06', 'card.posted'),
  event('11-21T09:12', 'request.approved', MEGAN),
  event('11-21T09:13', 'export.submitted'),
  event('11-21T09:43', 'export.statusChanged'),
  event('11-23T07:58', 'export.completed'),
  event('11-23T07:59', 'notification.sent'),
  event('12-08T16:40', 'deadline.extended', PATTI),
];

/** The first page of the open requests, by due date: one overdue, one due within a week. */
const OPEN: ExportRequest[] = [
  request(31, 'Diego Siciliani', 'CCPA', '2026-10-23', 'completed'),
  request(38, 'Isaiah Langer', 'GDPR', '2026-11-14', 'exporting'),
  request(44, 'Lee Gu', 'GDPR', '2026-11-28', 'failed'),
  request(49, 'Grady Archie', 'GDPR', '2026-12-09', 'pendingApproval'),
  ADELE,
  request(47, 'Johanna Lorenz', 'CCPA', '2026-12-08', 'pendingApproval'),
];

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
        result.outputHtml = plain.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
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
    const portal = { host: 'https://portal.azure.com', tenantId: DEMO_TENANT_ID };
    const status = requestStatusCard({ request: ADELE, today: TODAY, timeline: timelineOf(AUDIT), portal });
    await picture(page, status, 'status-card.png');
    const open = { title: 'Open requests', list: 'open', items: OPEN, total: 9, today: TODAY } as const;
    await picture(page, requestListCard({ ...open, page: 0, pageSize: 6 }), 'open-requests-card.png');
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[pictures] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
