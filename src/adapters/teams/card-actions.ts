import type { AdaptiveCardInvokeResponse, InvokeResponse, TurnContext } from 'botbuilder';
import { noticeCard } from '../../cards/intake-cards';
import type { AdaptiveCard } from '../../cards/render';
import {
  VERB,
  isVerb,
  type ApprovalVerb,
  type AuditVerb,
  type IntakeVerb,
  type LifecycleVerb,
  type RequestLookupVerb,
  type Verb,
} from '../../cards/verbs';
import type { createApprovalHandlers } from './approval-handlers';
import type { createAuditHandlers } from './audit-handlers';
import type { createIntakeHandlers } from './intake-handlers';
import type { createRequestHandlers } from './request-handlers';

/** A card verb's handler: the card for the person who clicked. */
type CardActionHandler = (context: TurnContext, data: Record<string, unknown>) => Promise<AdaptiveCard>;

export interface CardActionRooms {
  readonly intake: ReturnType<typeof createIntakeHandlers>;
  readonly approvals: ReturnType<typeof createApprovalHandlers>;
  readonly requests: ReturnType<typeof createRequestHandlers>;
  readonly audits: ReturnType<typeof createAuditHandlers>;
}

/**
 * Every card verb and who handles it: one typed table, checked exhaustive by the compiler. Returns the router:
 * an unknown verb gets a card saying so; card data reaches the handler as an object (never trusted for who).
 */
export function createCardActions(rooms: CardActionRooms) {
  const forIntake =
    (verb: IntakeVerb): CardActionHandler =>
    (context, data) =>
      rooms.intake.cardAction(context, verb, data);
  const forApproval =
    (verb: ApprovalVerb): CardActionHandler =>
    (context, data) =>
      rooms.approvals.cardAction(context, verb, data);
  const forLifecycle =
    (verb: LifecycleVerb): CardActionHandler =>
    (context, data) =>
      rooms.requests.lifecycleAction(context, verb, data);
  const forLookup =
    (verb: RequestLookupVerb): CardActionHandler =>
    (context, data) =>
      rooms.requests.lookupAction(context, verb, data);
  const forAudit =
    (verb: AuditVerb): CardActionHandler =>
    (context, data) =>
      rooms.audits.cardAction(context, verb, data);
  const cardActions = {
    [VERB.find]: forIntake(VERB.find),
    [VERB.pick]: forIntake(VERB.pick),
    [VERB.acknowledgeDuplicate]: forIntake(VERB.acknowledgeDuplicate),
    [VERB.submit]: forIntake(VERB.submit),
    [VERB.cancel]: forIntake(VERB.cancel),
    [VERB.approve]: forApproval(VERB.approve),
    [VERB.reject]: forApproval(VERB.reject),
    [VERB.cancelRequest]: forApproval(VERB.cancelRequest),
    [VERB.refresh]: forApproval(VERB.refresh),
    [VERB.resubmit]: forApproval(VERB.resubmit),
    [VERB.recordIdentity]: forLifecycle(VERB.recordIdentity),
    [VERB.extend]: forLifecycle(VERB.extend),
    [VERB.deliver]: forLifecycle(VERB.deliver),
    [VERB.proposeClosure]: forLifecycle(VERB.proposeClosure),
    [VERB.confirmClosure]: forLifecycle(VERB.confirmClosure),
    [VERB.withdrawClosure]: forLifecycle(VERB.withdrawClosure),
    [VERB.show]: forLookup(VERB.show),
    [VERB.page]: forLookup(VERB.page),
    [VERB.auditPage]: forAudit(VERB.auditPage),
    [VERB.auditExport]: forAudit(VERB.auditExport),
  } satisfies Record<Verb, CardActionHandler>;

  return (context: TurnContext, verb: unknown, data: unknown): Promise<AdaptiveCard> => {
    const fields =
      typeof data === 'object' && data !== null && !Array.isArray(data)
        ? (data as Record<string, unknown>)
        : {};
    if (!isVerb(verb)) {
      return Promise.resolve(
        noticeCard({
          title: 'I do not know this button',
          text: 'This card may come from an older version of the bot. Say "help" to start again.',
          tone: 'attention',
        }),
      );
    }
    return cardActions[verb](context, fields);
  };
}

export const ADAPTIVE_CARD_ACTION = 'adaptiveCard/action';

/** botbuilder's Adaptive Card error response (its own `createAdaptiveCardInvokeErrorResponse` is private). */
export function invokeBadRequest(message: string): InvokeResponse<AdaptiveCardInvokeResponse> {
  return {
    status: 400,
    body: {
      statusCode: 400,
      type: 'application/vnd.microsoft.error',
      value: { code: 'BadRequest', message },
    },
  };
}

/** Why an invoke other than adaptiveCard/action gets no answer, naming it when its name is printable. */
export function invokeNotHandled(name: unknown): string {
  const what =
    name === undefined || name === null || name === ''
      ? 'invokes without a name'
      : typeof name === 'string' && /^[\x20-\x7e]{1,100}$/.test(name)
        ? `"${name}" invokes`
        : 'this invoke (its name is not a short printable string)';
  return `This bot does not handle ${what}: it answers Adaptive Card actions (${ADAPTIVE_CARD_ACTION}) only.`;
}

/**
 * What is wrong with an adaptiveCard/action's value for botbuilder (which reads `value.action.type` unchecked,
 * and puts it in its "not supported" message) and the verb table (which routes on `value.action.verb`), or
 * undefined when both can take it.
 */
export function cardActionProblem(value: unknown): string | undefined {
  const action =
    typeof value === 'object' && value !== null ? (value as { action?: unknown }).action : undefined;
  if (typeof action !== 'object' || action === null || Array.isArray(action)) {
    return 'An adaptiveCard/action invoke needs "value.action": the Action.Execute that was clicked, with its verb.';
  }
  const { type, verb } = action as { type?: unknown; verb?: unknown };
  if (typeof type !== 'string') return 'The action in "value.action" has no "type" string (Action.Execute).';
  if (typeof verb !== 'string') return 'The Action.Execute in "value.action" has no "verb" string.';
  return undefined;
}
