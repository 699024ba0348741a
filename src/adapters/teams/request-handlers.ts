import type { TurnContext } from 'botbuilder';
import { approvalCard, type PortalLinks } from '../../cards/approval-card';
import { noticeCard } from '../../cards/intake-cards';
import { privateAnswerCard } from '../../cards/private-answer-card';
import type { AdaptiveCard } from '../../cards/render';
import { requestListCard } from '../../cards/request-list-card';
import { requestStatusCard } from '../../cards/request-status-card';
import { timelineOf } from '../../cards/timeline';
import { VERB, type LifecycleVerb, type RequestLookupVerb } from '../../cards/verbs';
import { channelOf } from '../../domain/access';
import type { AuditEvent } from '../../domain/audit';
import type { ExportRequest } from '../../domain/export-request';
import { isoDate } from '../../domain/policies';
import { describeError, type Logger } from '../../logger';
import { actOnRequest, type ActDeps, type ActRefusal } from '../../usecases/act-on-request';
import {
  lookUpRequests,
  type LookupAnswer,
  type LookupDeps,
  type LookupQuery,
} from '../../usecases/look-up-requests';
import { callerOf } from './activity';
import { lifecycleActionOf, refusalWords } from './lifecycle-inputs';
import { NOT_AVAILABLE_CARD } from './approval-handlers';
import { adminRefusalCard } from './refusal-cards';

export interface RequestHandlerDeps {
  readonly lookup: LookupDeps;
  readonly act: ActDeps;
  /** The Azure portal links for export containers (never a SAS). */
  readonly portal?: PortalLinks;
  readonly log: Logger;
}

const REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Looking up requests (`status`, `my requests`, `open requests`, and the cards' Show and paging buttons) and
 * an admin's actions on a request's legal clock (identity check, extension, delivery, closure). Rights come
 * from the activity and the store (home tenant, an admin role now), never from card data. In a 1:1 chat the
 * answer comes at once; in a group chat or channel the chat gets a neutral note, and each admin fetches the
 * answer on their own screen (Universal Actions), so nobody else sees anyone's request.
 */
export function createRequestHandlers(deps: RequestHandlerDeps) {
  const today = () => isoDate(deps.lookup.clock.now());

  function statusCard(request: ExportRequest, trail: readonly AuditEvent[], note?: string) {
    return requestStatusCard({
      request,
      today: today(),
      timeline: timelineOf([...trail]),
      ...(note ? { note } : {}),
      ...(deps.portal ? { portal: deps.portal } : {}),
    });
  }

  function answerCard(answer: LookupAnswer, query: LookupQuery): AdaptiveCard {
    switch (answer.kind) {
      case 'request':
        return statusCard(answer.request, answer.trail);
      case 'list':
        return requestListCard({
          title:
            answer.list === 'open'
              ? 'Open requests'
              : answer.list === 'mine'
                ? 'Your requests'
                : 'Open requests for that person',
          list: answer.list === 'mine' ? 'mine' : 'open',
          items: answer.items,
          total: answer.total,
          page: answer.page,
          pageSize: answer.pageSize,
          today: today(),
        });
      case 'none':
        return noticeCard({
          title: query.kind === 'request' ? 'No such request' : 'No open request found',
          text:
            query.kind === 'request'
              ? 'I know no request by that id. Say "open requests" to see the open ones, or "my requests" for yours.'
              : 'No open request matches that name or sign-in. Say "status DSR-…" with the id for a finished one, or "my requests".',
          tone: 'default',
        });
      case 'notAvailable':
      case 'noRole':
      case 'roleCheckSlow':
        return adminRefusalCard(answer.kind, 'Requests are shown to');
    }
  }

  async function lookUp(context: TurnContext, query: LookupQuery): Promise<AdaptiveCard> {
    try {
      return answerCard(await lookUpRequests(deps.lookup, callerOf(context.activity), query), query);
    } catch (err) {
      deps.log.error('Request lookup failed', { query: query.kind, error: describeError(err) });
      return noticeCard({
        title: 'Something went wrong on my side',
        text: 'I could not read the requests. Please try again in a moment.',
        tone: 'attention',
      });
    }
  }

  /** The verb and data that show a query's answer (for the Show button and the refresh in shared chats). */
  function lookupAction(query: LookupQuery): {
    verb: RequestLookupVerb;
    data: Record<string, string | number>;
  } {
    switch (query.kind) {
      case 'request':
        return { verb: VERB.show, data: { requestId: query.id } };
      case 'search':
        return { verb: VERB.show, data: { search: query.text } };
      case 'open':
      case 'mine':
        return { verb: VERB.page, data: { list: query.kind, page: query.page } };
    }
  }

  return {
    /** A lookup command: the answer in a 1:1 chat; a neutral note with a per-person answer elsewhere. */
    async command(context: TurnContext, query: LookupQuery): Promise<AdaptiveCard> {
      if (context.activity.conversation?.conversationType === 'personal') return lookUp(context, query);
      const { verb, data } = lookupAction(query);
      const title =
        query.kind === 'request'
          ? `Request ${REQUEST_ID.test(query.id) ? query.id.toUpperCase() : ''}`
          : query.kind === 'mine'
            ? 'Your requests'
            : 'Open requests';
      const asker = typeof context.activity.from?.id === 'string' ? [context.activity.from.id] : [];
      return privateAnswerCard({ title, verb, data, refreshUserIds: asker });
    },

    /** The Show and paging buttons (and the refresh of a shared chat's note). */
    lookupAction(
      context: TurnContext,
      verb: RequestLookupVerb,
      data: Record<string, unknown>,
    ): Promise<AdaptiveCard> {
      // An Action.Submit (old clients) is answered with a message everyone in the chat sees: not the answer.
      if (postedToAll(context)) return Promise.resolve(noticeCard(ONLY_IN_PERSONAL_CHAT));
      if (verb === VERB.page) {
        const page = typeof data.page === 'number' ? data.page : Number(data.page);
        return lookUp(context, {
          kind: data.list === 'mine' ? 'mine' : 'open',
          page: Number.isFinite(page) ? page : 0,
        });
      }
      if (typeof data.search === 'string') return lookUp(context, { kind: 'search', text: data.search });
      return lookUp(context, {
        kind: 'request',
        id: typeof data.requestId === 'string' ? data.requestId : '',
      });
    },

    /**
     * A lifecycle button. The answer is the card it was clicked on, as it is now: the approval card in the
     * request's approvals channel (its update for everyone follows as a job), the status card anywhere else.
     */
    async lifecycleAction(
      context: TurnContext,
      verb: LifecycleVerb,
      data: Record<string, unknown>,
    ): Promise<AdaptiveCard> {
      const caller = callerOf(context.activity);
      const requestId =
        typeof data.requestId === 'string' && REQUEST_ID.test(data.requestId) ? data.requestId : '';
      const parsed = lifecycleActionOf(verb, data);
      try {
        if (!parsed.ok) {
          // Nothing to record; the card comes back with the problem, to those who may see it.
          const query: LookupQuery = { kind: 'request', id: requestId };
          const answer = await lookUpRequests(deps.lookup, caller, query);
          if (answer.kind !== 'request') return answerCard(answer, query);
          return await cardAfter(context, answer.request.id, parsed.problem);
        }
        const reply = await actOnRequest(deps.act, caller, requestId, parsed.action);
        if (reply.kind === 'done' && postedToAll(context) && !inItsChannel(context, reply.request))
          return noticeCard({ ...ONLY_IN_PERSONAL_CHAT, title: 'Recorded' });
        if (reply.kind === 'done') return await cardAfter(context, reply.request.id);
        // Someone who may not act learns why, and nothing about the request.
        if (
          reply.why === 'notAvailable' ||
          reply.why === 'noRole' ||
          reply.why === 'roleCheckSlow' ||
          !reply.request
        )
          return refusalCard(reply.why);
        return await cardAfter(context, reply.request.id, refusalWords(reply.why, reply.request));
      } catch (err) {
        deps.log.error('Request action failed', { verb, error: describeError(err) });
        return noticeCard({
          title: 'Something went wrong on my side',
          text: 'Nothing was recorded. Please try again in a moment.',
          tone: 'attention',
        });
      }
    },
  };

  function refusalCard(why: ActRefusal): AdaptiveCard {
    if (why === 'notAvailable') return noticeCard({ ...NOT_AVAILABLE_CARD, tone: 'attention' });
    return noticeCard({ title: 'Not possible', text: refusalWords(why, undefined), tone: 'attention' });
  }

  /** The clicked card as it is now, with a note. */
  async function cardAfter(context: TurnContext, requestId: string, note?: string): Promise<AdaptiveCard> {
    const request = await deps.act.requests.get(requestId);
    if (!request) return noticeCard({ ...NOT_AVAILABLE_CARD, tone: 'attention' });
    if (inItsChannel(context, request)) {
      return approvalCard({
        request,
        view: 'viewer',
        today: today(),
        refreshUserIds: [],
        ...(note ? { note } : {}),
        ...(deps.portal ? { portal: deps.portal } : {}),
      });
    }
    // An Action.Submit in a shared chat posts its answer for everyone: the request is not shown there.
    if (postedToAll(context))
      return noticeCard(
        note
          ? { title: 'Not possible', text: note, tone: 'attention' }
          : { ...ONLY_IN_PERSONAL_CHAT, title: 'Recorded' },
      );
    return statusCard(request, await deps.act.audit.list(request.id), note);
  }
}

/** What an Action.Submit in a group chat or channel gets: the answer would be posted for everyone. */
const ONLY_IN_PERSONAL_CHAT = {
  title: 'Shown in a 1:1 chat only',
  text: 'In a group chat or channel, this Teams client would post the answer for everyone. Say "status" and the request id, or "open requests", to me in a 1:1 chat.',
  tone: 'default',
} as const;

/**
 * Whether the answer is a message for the whole conversation: an Action.Submit (a message activity, from
 * clients without Universal Actions) outside a 1:1 chat. Action.Execute answers go to the clicker only.
 */
export function postedToAll(context: TurnContext): boolean {
  return (
    context.activity.type === 'message' && context.activity.conversation?.conversationType !== 'personal'
  );
}

/** Whether the activity comes from the request's approvals channel (its members see its card anyway). */
function inItsChannel(context: TurnContext, request: ExportRequest): boolean {
  const conversationId = String(context.activity.conversation?.id ?? '');
  return (
    request.approvalCard !== undefined &&
    channelOf(conversationId) === channelOf(request.approvalCard.conversationId)
  );
}
