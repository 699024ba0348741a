import type { TurnContext } from 'botbuilder';
import { approvalCard, type ApprovalView } from '../../cards/approval-card';
import { noticeCard } from '../../cards/intake-cards';
import type { AdaptiveCard } from '../../cards/render';
import { VERB, type ApprovalVerb } from '../../cards/verbs';
import type { ExportRequest } from '../../domain/export-request';
import { requestAccess } from '../../domain/access';
import { isHomeTenant, sameId } from '../../domain/identity';
import { isoDate, mayActAsAdmin } from '../../domain/policies';
import type { Directory } from '../../domain/ports';
import { describeError, type Logger } from '../../logger';
import { decideApproval, type DecideDeps, type RefusalWhy } from '../../usecases/decide-approval';
import type { Caller } from '../../usecases/who-am-i';
import { callerOf } from './activity';

export interface ApprovalHandlerDeps {
  readonly decide: DecideDeps;
  /** For choosing which view to show (display only; decisions check roles live). */
  readonly viewDirectory: Directory;
  readonly log: Logger;
}

const REFUSALS: Record<RefusalWhy, string> = {
  notFound: 'This request no longer exists.',
  otherTenant: 'Only members of the organisation that owns this request can decide it.',
  unknownCaller: 'Teams did not say who you are in Entra ID, so I cannot check your rights.',
  wrongConversation:
    "Decide this request from its card in the approvals channel; copies elsewhere don't count.",
  noRole:
    'Only admins holding an allowed role right now can decide. If your role is PIM-eligible, activate it and try again.',
  selfApproval:
    'You asked for this export, so another admin has to decide it (four eyes). You can cancel it.',
  notRequester: 'Only the person who asked for this export can cancel it.',
  reasonRequired: 'Give a reason for the rejection: the requester sees it.',
  alreadyDecided: 'This request was already decided.',
  beingVerified: "Another admin's decision on this request is being verified.",
  stale: 'This export has moved on meanwhile; the card shows where it is now.',
  notResubmittable:
    'Only a failed export, or one whose outcome is unknown, can be submitted again. Perhaps another admin already did: the card shows where it is now.',
  roleCheckSlow:
    'Microsoft Graph was too slow to confirm your admin role, so nothing was submitted. Try again in a minute.',
  identityNotVerified:
    "The data subject's identity is not verified yet, so this request cannot be approved. Record how it was verified (Record identity check on the card), then approve.",
  extensionRefused: 'This request cannot be extended now.',
  notDeliverable: 'A delivery can be recorded once the export is complete.',
  badDate: 'Give the day the data reached the person: not before the export completed, not in the future.',
  notClosable: 'This request cannot be closed while its export runs.',
  noClosureProposed: 'No closure is proposed for this request.',
  sameAdmin: 'You proposed this closure, so another admin has to confirm it (four eyes).',
  held: 'This request is on hold: the bot deletes nothing of it until an admin releases the hold.',
  notHeld: 'This request is not on hold.',
  deletionInProgress:
    'Its exported data is being deleted right now (its retention ended), so a hold comes too late for it.',
  noteRequired: 'Give a reason: it goes into the record.',
  clockStopped: 'This request is finished: nothing more can be recorded on it.',
  identityRecorded: "The subject's identity check is recorded already.",
};

/**
 * What anyone who may not see a request gets, whatever they sent: it names nothing (no subject, requester or
 * status) and is the same whether the request exists or not, so request ids cannot be probed.
 */
export const NOT_AVAILABLE_CARD = {
  title: 'Not available here',
  text: 'This card is not available to you in this conversation. Requests are shown in their approvals channel, and to the admin who asked for them in the chat where they asked. Say "help" to see what I can do.',
} as const;

const REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The Approve/Reject/Cancel buttons and the per-viewer refresh of approval cards. */
export function createApprovalHandlers(deps: ApprovalHandlerDeps) {
  const today = () => isoDate(deps.decide.clock.now());

  /** Which view someone gets: the requester theirs; an admin (roles read within a short budget) the buttons. */
  async function viewFor(request: ExportRequest, caller: Caller): Promise<ApprovalView> {
    if (request.status !== 'pendingApproval') return 'viewer';
    if (sameId(caller.aadObjectId, request.requester.aadObjectId)) return 'requester';
    if (!caller.aadObjectId || !isHomeTenant(caller.tenantId, deps.decide.homeTenantId)) return 'viewer';
    const roles = await Promise.race([
      deps.viewDirectory
        .heldRoles(caller.aadObjectId, deps.decide.allowedRoleIds)
        .catch(() => [] as string[]),
      deps.decide.after(deps.decide.roleCheckBudgetMs).then(() => [] as string[]),
    ]);
    return mayActAsAdmin(roles) ? 'decider' : 'viewer';
  }

  const cardFor = (request: ExportRequest, view: ApprovalView, note?: string) =>
    approvalCard({ request, view, today: today(), refreshUserIds: [], ...(note ? { note } : {}) });

  /** The neutral answer, and a record of the attempt (bounded by the audit log's refusal budget). */
  async function notAvailable(caller: Caller, verb: ApprovalVerb, requestId: string, why: string) {
    await deps.decide.audit.append({
      at: deps.decide.clock.now().toISOString(),
      action: 'card.refused',
      actor: { aadObjectId: caller.aadObjectId, name: caller.name, tenantId: caller.tenantId },
      outcome: 'refused',
      detail: `${verb} on ${REQUEST_ID.test(requestId) ? requestId : 'a malformed request id'} refused: ${why}`,
    });
    return noticeCard({ ...NOT_AVAILABLE_CARD, tone: 'attention' });
  }

  return {
    /**
     * Handles an approval verb; returns the card for the person who clicked (or asked for a refresh). Before
     * anything about the request is shown, the viewer must be in the home tenant, known by object id, and in
     * a conversation where the request may be seen ({@link requestAccess}); otherwise the answer names nothing.
     */
    async cardAction(
      context: TurnContext,
      verb: ApprovalVerb,
      data: Record<string, unknown>,
    ): Promise<AdaptiveCard> {
      const caller = callerOf(context.activity);
      const conversationId =
        typeof context.activity.conversation?.id === 'string' ? context.activity.conversation.id : '';
      const requestId = typeof data.requestId === 'string' ? data.requestId : '';
      try {
        if (!isHomeTenant(caller.tenantId, deps.decide.homeTenantId))
          return await notAvailable(caller, verb, requestId, 'not the home tenant');
        if (!caller.aadObjectId)
          return await notAvailable(caller, verb, requestId, 'no Entra object id on the activity');
        const request = REQUEST_ID.test(requestId) ? await deps.decide.requests.get(requestId) : undefined;
        if (!request) return await notAvailable(caller, verb, requestId, 'no such request');
        const access = requestAccess(request, caller, conversationId, deps.decide.homeTenantId);
        if (!access)
          return await notAvailable(
            caller,
            verb,
            requestId,
            "not its approvals channel or the requester's chat",
          );
        if (verb === VERB.refresh) {
          // Answering a refresh only returns a card: never update or resend here (Teams would refresh again).
          return cardFor(request, await viewFor(request, caller));
        }
        const decisionVerb =
          verb === VERB.approve
            ? 'approve'
            : verb === VERB.reject
              ? 'reject'
              : verb === VERB.resubmit
                ? 'resubmit'
                : 'cancel';
        const reason = typeof data.rejectReason === 'string' ? data.rejectReason : '';
        const reply = await decideApproval(
          deps.decide,
          caller,
          conversationId,
          requestId,
          decisionVerb,
          reason,
        );
        switch (reply.kind) {
          case 'decided':
            return cardFor(reply.request, 'viewer');
          case 'verifying':
            return cardFor(
              reply.request,
              'viewer',
              'Your decision is recorded. It takes effect once Microsoft Graph confirms your admin role (checked live, in a moment); the card updates for everyone then.',
            );
          case 'recorded':
            return cardFor(
              reply.request,
              'viewer',
              'Your decision is recorded. Sending it on is delayed by a storage problem on my side; it goes out on its own, nothing needs doing.',
            );
          case 'refused': {
            // Someone without an admin role now learns why, and nothing more about the request.
            if (!reply.request || reply.why === 'noRole')
              return noticeCard({ title: 'Not possible', text: REFUSALS[reply.why], tone: 'attention' });
            const view = await viewFor(reply.request, caller);
            return cardFor(reply.request, view, REFUSALS[reply.why]);
          }
        }
      } catch (err) {
        deps.log.error('Approval action failed', { verb, error: describeError(err) });
        return noticeCard({
          title: 'Something went wrong on my side',
          text: 'Nothing was decided. Please try again in a moment.',
          tone: 'attention',
        });
      }
    },
  };
}
