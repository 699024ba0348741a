import template from './private-answer-card.json';
import { renderCard, type AdaptiveCard } from './render';
import type { LookupVerb } from './verbs';

/** The most users Teams refreshes a card for automatically. */
const MAX_REFRESH_USERS = 60;

export interface PrivateAnswerModel {
  /** What was asked, naming nobody ("Open requests", "Request DSR-2026-0042"). */
  readonly title: string;
  /** The lookup that shows the answer, and its data (a request id or a list and page; never a person). */
  readonly verb: LookupVerb;
  readonly data: Readonly<Record<string, string | number>>;
  /** The Teams user ids (29:…) the answer is refreshed for automatically: whoever asked. */
  readonly refreshUserIds: readonly string[];
}

/**
 * The answer to a lookup asked in a group chat or a channel: the chat sees a neutral note, and the answer is
 * fetched per person (Universal Actions: the refresh for whoever asked, the Show button for others), so each
 * admin sees it on their own screen and nobody else sees anyone's request.
 */
export function privateAnswerCard(model: PrivateAnswerModel): AdaptiveCard {
  const card = renderCard(template, { title: model.title });
  const userIds = model.refreshUserIds.slice(0, MAX_REFRESH_USERS);
  // The action is built here, not in the template: its verb is one of the lookup verbs, typed.
  const show = { type: 'Action.Execute', title: 'Show', verb: model.verb, data: model.data };
  return {
    ...card,
    actions: [show],
    refresh: { action: show, ...(userIds.length > 0 ? { userIds } : {}) },
  };
}
