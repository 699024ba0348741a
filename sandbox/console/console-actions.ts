import { randomUUID } from 'node:crypto';
import { VERB } from '../../src/cards/verbs';
import type { ExportRequest } from '../../src/domain/export-request';
import type { SandboxUser } from '../demo-tenant';
import type { TenantSandbox } from '../tenant-sandbox';
import { ConsoleError } from './console-data';

/**
 * What the sandbox console does: click an approval card as any demo user (the real `adaptiveCard/action`
 * invoke, sent to the bot as Teams sends it, through the Playground's connector), and the sandbox controls.
 */

/** The clicks the console offers on an approval card, and the card verbs they are. */
export const ACT_VERBS = {
  approve: VERB.approve,
  reject: VERB.reject,
  cancel: VERB.cancelRequest,
} as const satisfies Record<string, string>;

export type ActVerb = keyof typeof ACT_VERBS;

export function isActVerb(value: unknown): value is ActVerb {
  return typeof value === 'string' && Object.hasOwn(ACT_VERBS, value);
}

export interface ActAs {
  readonly request: ExportRequest;
  readonly user: SandboxUser;
  readonly verb: ActVerb;
  /** The rejection reason, typed into the card's Reject form. */
  readonly reason?: string;
  readonly tenantId: string;
  /** The connector the card lives behind: the Playground's (`http://localhost:<port>/_connector`). */
  readonly serviceUrl: string;
  readonly bot: { readonly id: string; readonly name: string };
}

/**
 * The invoke Teams sends when `user` clicks the request's approval card in its channel thread: the card's
 * conversation with `;messageid=`, the user's Teams id and object id, the tenant in both places Teams puts it.
 */
export function actAsInvoke(a: ActAs): Record<string, unknown> {
  const card = a.request.approvalCard;
  if (!card)
    throw new ConsoleError(
      409,
      `${a.request.id} has no approval card yet: an admin says "use this channel for approvals" in the approvals channel first.`,
    );
  const channel = { id: card.conversationId };
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: a.serviceUrl,
    from: { id: a.user.teamsId ?? a.user.id, name: a.user.displayName, aadObjectId: a.user.id },
    recipient: a.bot,
    conversation: {
      id: `${card.conversationId};messageid=${card.activityId}`,
      isGroup: true,
      conversationType: 'channel',
      tenantId: a.tenantId,
    },
    channelData: { tenant: { id: a.tenantId }, channel },
    replyToId: card.activityId,
    locale: 'en-US',
    value: {
      action: {
        type: 'Action.Execute',
        verb: ACT_VERBS[a.verb],
        data: {
          requestId: a.request.id,
          ...(a.verb === 'reject' ? { rejectReason: a.reason ?? '' } : {}),
        },
      },
      trigger: 'manual',
    },
  };
}

/** What the bot answered to a click: the HTTP status and the card's title, status line and note. */
export interface BotAnswer {
  readonly status: number;
  readonly title: string;
  readonly text: string;
  /** The approval card's note (why a click was refused), when it has one. */
  readonly note: string;
}

interface CardElement {
  readonly type?: unknown;
  readonly text?: unknown;
  readonly inlines?: unknown;
}

/** The text of a TextBlock, or of the runs of a RichTextBlock. */
function textOf(element: CardElement): string {
  if (element.type === 'TextBlock' && typeof element.text === 'string') return element.text;
  if (element.type === 'RichTextBlock' && Array.isArray(element.inlines))
    return (element.inlines as CardElement[]).map((i) => (typeof i.text === 'string' ? i.text : '')).join('');
  return '';
}

/**
 * The first two texts of a card (an approval card's title and status line, a notice's title and text), and its
 * last element when that is a note after the facts.
 */
export function cardSummary(card: unknown): Omit<BotAnswer, 'status'> {
  const body = (card as { body?: unknown } | undefined)?.body;
  const elements = Array.isArray(body) ? (body as CardElement[]) : [];
  const texts = elements.map(textOf).filter((t) => t !== '');
  const last = elements.at(-1);
  const note = elements.length > 3 && last?.type === 'TextBlock' ? textOf(last) : '';
  return { title: texts[0] ?? '', text: texts[1] ?? '', note };
}

/** POSTs the invoke to the bot's /api/messages and reads its invoke response. */
export async function sendInvoke(botUrl: string, activity: Record<string, unknown>): Promise<BotAnswer> {
  let res: Response;
  try {
    res = await fetch(`${botUrl.replace(/\/+$/, '')}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new ConsoleError(502, `The bot at ${botUrl} did not answer: ${String(err)}`);
  }
  const text = await res.text();
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  const summary = cardSummary(value);
  return {
    status: res.status,
    ...summary,
    ...(summary.title === '' ? { title: `The bot answered ${res.status}`, text: text.slice(0, 300) } : {}),
  };
}

/** The sandbox as the console's controls use it. */
export type ControlledSandbox = Pick<TenantSandbox, 'operations' | 'exportControls' | 'inject'>;

export interface ControlState {
  /** The next export submitted will end `failed`. */
  readonly nextExportFails: boolean;
  /** How long each Graph call waits before its answer (0: normal speed). */
  readonly graphDelayMs: number;
  /** Export operations not finished yet. */
  readonly runningExports: number;
}

/** Graph's paths in the sandbox (Entra ID's token endpoint is not slowed down). */
const GRAPH_PATHS = /^\/(v1\.0|beta)\//;

/** The sandbox controls: fail the next export, slow Graph down and back, finish running exports now. */
export function createControls(sandbox: ControlledSandbox, slowGraphMs: number) {
  let restoreSpeed: (() => void) | undefined;
  let graphDelayMs = 0;
  const running = () =>
    [...sandbox.operations.values()].filter((op) => op.status !== 'complete' && op.status !== 'failed')
      .length;
  return {
    state: (): ControlState => ({
      nextExportFails: sandbox.exportControls.nextFails,
      graphDelayMs,
      runningExports: running(),
    }),
    failNextExport(): void {
      sandbox.exportControls.failNext();
    },
    /** Slows every Graph call down by the console's delay (`on`), or back to normal speed. */
    slowGraph(on: boolean): void {
      restoreSpeed?.();
      restoreSpeed = undefined;
      graphDelayMs = 0;
      if (on) {
        restoreSpeed = sandbox.inject({ path: GRAPH_PATHS, delayMs: slowGraphMs });
        graphDelayMs = slowGraphMs;
      }
    },
    finishRunningExports: (): Promise<number> => sandbox.exportControls.finishRunning(),
  };
}

export type Controls = ReturnType<typeof createControls>;
