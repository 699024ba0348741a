import type { ExportRequest } from './export-request';
import { isHomeTenant, sameId } from './identity';

/** Who is looking, as Teams says (never card data). */
export interface Viewer {
  readonly aadObjectId: string | undefined;
  readonly tenantId: string | undefined;
}

/**
 * Why a viewer may see a request here: in its approvals channel (the members of that channel see its card
 * anyway), or as its requester in the conversation they asked in.
 */
export type RequestAccess = 'approvalsChannel' | 'requesterChat';

/** A channel thread's conversation id carries `;messageid=…`; the channel is what came before. */
export function channelOf(conversationId: string): string {
  return conversationId.split(';')[0] ?? conversationId;
}

/**
 * Whether a request may be shown to this viewer in this conversation, and why; undefined when not. The
 * home tenant and a known object id come first; then the conversation: the request's approvals channel, or
 * the requester's own conversation for the requester. Rights to *act* (an admin role now, four eyes) are
 * checked by the workflow and the decision use case on top of this.
 */
export function requestAccess(
  request: ExportRequest,
  viewer: Viewer,
  conversationId: string,
  homeTenantId: string,
): RequestAccess | undefined {
  if (!isHomeTenant(viewer.tenantId, homeTenantId) || !viewer.aadObjectId || conversationId === '')
    return undefined;
  if (request.approvalCard && channelOf(conversationId) === channelOf(request.approvalCard.conversationId))
    return 'approvalsChannel';
  if (
    sameId(viewer.aadObjectId, request.requester.aadObjectId) &&
    channelOf(conversationId) === channelOf(request.requestedIn.id)
  )
    return 'requesterChat';
  return undefined;
}
