import type { TurnContext } from 'botbuilder';
import { approvalCard, type ApprovalView } from '../../cards/approval-card';
import { noticeCard } from '../../cards/intake-cards';
import type { AdaptiveCard } from '../../cards/render';
import { VERB, type ApprovalVerb } from '../../cards/verbs';
import type { ExportRequest } from '../../domain/export-request';
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
};

/** The Approve/Reject/Cancel buttons and the per-viewer refresh of approval cards. */
export function createApprovalHandlers(deps: ApprovalHandlerDeps) {
  const today = () => isoDate(deps.decide.clock.now());

  /** Which view someone gets: the requester theirs; an admin (roles read within a short budget) the buttons. */
  async function viewFor(request: ExportRequest, caller: Caller): Promise<ApprovalView> {
    if (request.status !== 'pendingApproval') return 'viewer';
    if (caller.aadObjectId === request.requester.aadObjectId) return 'requester';
    if (!caller.aadObjectId || caller.tenantId?.toLowerCase() !== deps.decide.homeTenantId.toLowerCase())
      return 'viewer';
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

  return {
    /** Handles an approval verb; returns the card for the person who clicked (or asked for a refresh). */
    async cardAction(
      context: TurnContext,
      verb: ApprovalVerb,
      data: Record<string, unknown>,
    ): Promise<AdaptiveCard> {
      const caller = callerOf(context.activity);
      const requestId = typeof data.requestId === 'string' ? data.requestId : '';
      try {
        if (verb === VERB.refresh) {
          // Answering a refresh only returns a card: never update or resend here (Teams would refresh again).
          const request = await deps.decide.requests.get(requestId);
          if (!request)
            return noticeCard({ title: 'This request no longer exists', text: REFUSALS.notFound });
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
          context.activity.conversation?.id ?? '',
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
              'Your decision is recorded. Microsoft Graph is slow to confirm your admin role; the card updates for everyone once it does.',
            );
          case 'refused': {
            if (!reply.request)
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
