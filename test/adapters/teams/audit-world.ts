import { randomUUID } from 'node:crypto';
import { ROLE } from '../../../sandbox/demo-tenant';
import { BlobAuditFiles } from '../../../src/adapters/storage/audit-files';
import { TableAuditLog } from '../../../src/adapters/storage/audit-log';
import type { AuditEvent } from '../../../src/domain/audit';
import type { Logger } from '../../../src/logger';
import { cardInvoke, person, personalMessage } from '../../support/activities';
import { startBotHarness, uniqueName, type BotHarness } from '../../support/bot-harness';
import { cardProblems, cardText } from '../../support/cards';
import { movableClock } from '../../support/export-harness';
import { createRequest } from '../../support/flows';
import { testStorageConnectionString } from '../../support/sandbox';

export const alex = person('Alex Wilber'); // Global Administrator
export const megan = person('Megan Bowen'); // Global Administrator
export const isaiah = person('Isaiah Langer'); // no admin role
export const FOREIGN_TENANT = '99999999-9999-4999-8999-999999999999';

type OpenUrl = { type: string; title: string; url: string };

/** The Action.OpenUrl buttons of a card. */
export const openUrls = (c: unknown): OpenUrl[] =>
  (JSON.stringify(c).match(/\{[^{}]*"Action\.OpenUrl"[^{}]*\}/g) ?? []).map((j) => JSON.parse(j) as OpenUrl);

/**
 * The whole bot on real parts (Azurite, the tenant sandbox, a local connector, the HTTP server) on a clock the
 * test moves, with an audit container of its own and every log line recorded; a request by Alex about Isaiah
 * whose trail holds more than a page (16 views by Megan added).
 */
export async function startAuditWorld() {
  const clock = movableClock();
  const logLines: string[] = [];
  const rec = (level: string) => (m: string, f?: Record<string, unknown>) =>
    logLines.push(`${level} ${m} ${JSON.stringify(f ?? {})}`);
  const log: Logger = { info: rec('info'), warn: rec('warn'), error: rec('error') };
  const auditContainer = uniqueName('audit').toLowerCase();
  const h: BotHarness = await startBotHarness({
    clock,
    log,
    env: { ADMIN_ROLE_TEMPLATE_IDS: ROLE.globalAdministrator, AUDIT_CONTAINER: auditContainer },
  });
  const auditLog = () => new TableAuditLog(testStorageConnectionString(), h.tables.audit);
  // Trail exports go to the audit container's `-trails` sibling (no WORM: copies for a download).
  const auditFiles = () => new BlobAuditFiles(testStorageConnectionString(), `${auditContainer}-trails`);
  /** Every token handed out (none may reach a log line). */
  const tokens: string[] = [];

  /** A view of request `id` by Megan; odd ones with a detail a spreadsheet would run, and a new line. */
  const viewed = (id: string, i: number): AuditEvent => ({
    at: new Date(clock.now().getTime() + i).toISOString(),
    action: 'request.viewed',
    actor: { aadObjectId: megan.id, name: megan.displayName },
    outcome: 'ok',
    requestId: id,
    subjectId: isaiah.id,
    detail:
      i % 2 === 0 ? `status of ${id}, look ${i}` : `=HYPERLINK("x"), with "quotes"\nand a new line ${i}`,
  });

  const requestId = await createRequest(h, isaiah, alex);
  const trail = auditLog();
  for (let i = 0; i < 16; i++) await trail.append(viewed(requestId, i));

  /** The card (or text) the bot answers `text` with in a new 1:1 chat of `who`. */
  async function ask(text: string, who = alex, tenantId?: string): Promise<unknown> {
    const conversationId = `a:personal-${randomUUID()}`;
    await h.post(
      personalMessage(text, {
        serviceUrl: h.connector.serviceUrl,
        from: who,
        conversationId,
        ...(tenantId ? { tenantId } : {}),
      }),
    );
    const [reply] = await h.connector.waitForSent(conversationId);
    return reply?.attachments?.[0]?.content ?? reply?.text;
  }

  /** An Action.Execute click in a 1:1 chat (or in `conversationId` of `conversationType`). */
  async function click(
    verb: string,
    data: Record<string, unknown>,
    who = alex,
    extra: { tenantId?: string; conversationId?: string; conversationType?: string } = {},
  ): Promise<unknown> {
    const { card, status } = await h.invoke(
      cardInvoke(verb, data, { serviceUrl: h.connector.serviceUrl, from: who, ...extra }),
    );
    if (status !== 200) throw new Error(`The click answered ${status}`);
    return card;
  }

  /** Megan exports the trail: the card, the file's name, the link's token and its URL on this server. */
  async function exported(id: string, format: 'jsonl' | 'csv', who = megan) {
    const card = await click('audit.export', { requestId: id, format }, who);
    const problems = cardProblems(card);
    if (problems.length > 0) throw new Error(`Invalid card: ${problems.join('; ')}`);
    const name = new RegExp(`trails/${id}/\\d{8}T\\d{6}Z-[a-z0-9]+\\.${format}`).exec(cardText(card))?.[0];
    const link = openUrls(card).find((a) => a.title === 'Download (one-time link)');
    if (!name || !link) throw new Error(`No file or link on the card: ${cardText(card)}`);
    const token = link.url.split('/').at(-1)!;
    tokens.push(token);
    return { card, name, token, url: `${h.url}/audit-files/${token}` };
  }

  const actionsOf = async (id?: string) => (await auditLog().trail(id)).entries.map((e) => e.event.action);

  return {
    h,
    clock,
    logLines,
    auditContainer,
    tokens,
    requestId,
    auditLog,
    auditFiles,
    viewed,
    ask,
    click,
    exported,
    actionsOf,
    close: () => h.close(),
  };
}

export type AuditWorld = Awaited<ReturnType<typeof startAuditWorld>>;
