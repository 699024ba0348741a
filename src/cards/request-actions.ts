import { extensionFor, EXTENSION_RULES, originalDueDate } from '../domain/deadline';
import {
  CLOSURE_REASONS,
  clockRunning,
  DELIVERY_METHODS,
  IDENTITY_METHODS,
  type ExportRequest,
} from '../domain/export-request';
import { CLOSURE_WORDS, DELIVERY_WORDS, IDENTITY_WORDS } from '../domain/workflow/lifecycle';
import { capitalise, plural } from './card-text';
import { renderCard } from './render';
import parts from './request-actions.json';

/**
 * The legal clock's actions on a request card, shared by the approval card and the status card: record the
 * identity check, record the delivery, extend the due date, close without export (then confirm the closure,
 * or keep the request open). Each form submits with an Action.Execute verb of VERB, its inputs named by
 * INPUT, and `{ requestId }` as data. They show to everyone who sees the card while the clock runs: the
 * server checks the clicker's rights (and the record) when clicked. The template part is in
 * request-actions.json; the data goes under `lifecycle`.
 */
export const REQUEST_ACTION_PARTS = parts;

const choices = <K extends string>(keys: readonly K[], words: Record<K, string>) =>
  keys.map((value) => ({ title: capitalise(words[value]), value }));

const REGIME_NAMES = { GDPR: 'GDPR', CCPA: 'CCPA', other: 'Other regimes' } as const;

/** The data of the `lifecycleActions` part for `request` on `today` (YYYY-MM-DD). */
export function lifecycleModel(request: ExportRequest, today: string) {
  const r = request;
  const running = clockRunning(r.status);
  const proposed = r.closure !== undefined && r.closure.confirmedBy === undefined;
  const byMonths = r.regime === 'GDPR';
  const lengths = byMonths ? [1, 2] : [1];
  const options = lengths.flatMap((months) => {
    const answer = extensionFor(r, today, months);
    return answer.ok ? [{ months, toDue: answer.toDue }] : [];
  });
  const original = originalDueDate(r);
  return {
    requestId: r.id,
    // Confirm and Keep open name the proposal they were shown: a newer one is not confirmed by an older card.
    proposedAt: r.closure?.proposedAt ?? '',
    today,
    receivedDate: r.receivedDate,
    canRecordIdentity: running && r.identity === undefined,
    identityChoices: choices(IDENTITY_METHODS, IDENTITY_WORDS),
    canDeliver: r.status === 'completed',
    deliveryChoices: choices(DELIVERY_METHODS, DELIVERY_WORDS),
    canExtend: running && options.length > 0,
    byMonths,
    monthChoices: options.map((o) => ({
      title: `${plural(o.months, 'month')}, to ${o.toDue}`,
      value: String(o.months),
    })),
    newDueText: options[0] ? `The new due date will be ${options[0].toDue}.` : '',
    extendRule: `${REGIME_NAMES[r.regime]}: ${EXTENSION_RULES[r.regime].label} (${original}).`,
    tellByText: `Tell the data subject of the extension and its reason by ${original}.`,
    canProposeClosure:
      running && r.closure === undefined && r.status !== 'approved' && r.status !== 'exporting',
    closureChoices: choices(CLOSURE_REASONS, CLOSURE_WORDS),
    closureProposed: running && proposed,
  };
}

/** The lifecycle actions alone, as a card template (built once: a template is parsed once, see renderCard). */
const ACTIONS_ONLY = { type: 'AdaptiveCard', version: '1.5', actions: parts.lifecycleActions };

/** The lifecycle actions of `request` on `today`, rendered (for a card built without the shared parts). */
export function lifecycleActions(request: ExportRequest, today: string): readonly unknown[] {
  const rendered = renderCard(ACTIONS_ONLY, { lifecycle: lifecycleModel(request, today) });
  return (rendered.actions as unknown[] | undefined) ?? [];
}
