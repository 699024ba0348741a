import type { AuditLog, Clock, Directory, JobQueue, RequestStore, SettingsStore } from '../domain/ports';
import { authorizeAdmin } from './authorize-admin';
import type { Caller } from './who-am-i';

export interface SetApprovalsChannelDeps {
  readonly directory: Directory;
  readonly settings: SettingsStore;
  readonly requests: RequestStore;
  readonly jobs: JobQueue;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly homeTenantId: string;
  readonly allowedRoleIds: readonly string[];
  readonly approvalsChannelId: string | undefined;
}

export interface ChannelWhereAsked {
  readonly isChannel: boolean;
  readonly channelId: string | undefined;
  readonly teamId: string | undefined;
  readonly serviceUrl: string;
  /**
   * Teams' `channelData.channel.membershipType`: a shared channel has members of other organisations, who
   * would see every request posted there. Only standard and private channels may hold approvals.
   */
  readonly membershipType?: string;
}

export type SetApprovalsChannelReply =
  | { readonly kind: 'refused'; readonly reason: 'otherTenant' | 'unknownCaller' | 'noRole' }
  | { readonly kind: 'notAChannel' }
  | { readonly kind: 'sharedChannel' }
  | { readonly kind: 'fixedByConfiguration'; readonly channelId: string }
  | { readonly kind: 'set'; readonly channelId: string; readonly waiting: number };

/**
 * "use this channel for approvals", said in a channel by an admin: remembers the channel (with the
 * serviceUrl Teams sent) for approval cards. APPROVALS_CHANNEL_ID, when set, wins and is not overwritten.
 */
export async function setApprovalsChannel(
  deps: SetApprovalsChannelDeps,
  caller: Caller,
  where: ChannelWhereAsked,
): Promise<SetApprovalsChannelReply> {
  const auth = await authorizeAdmin(deps, caller, 'approvalsChannel.refused', 'set the approvals channel');
  if (!auth.ok) return { kind: 'refused', reason: auth.reason };
  if (!where.isChannel || !where.channelId) return { kind: 'notAChannel' };
  if (where.membershipType?.toLowerCase() === 'shared') return { kind: 'sharedChannel' };
  if (deps.approvalsChannelId !== undefined)
    return { kind: 'fixedByConfiguration', channelId: deps.approvalsChannelId };
  const at = deps.clock.now().toISOString();
  await deps.settings.setApprovalsChannel({
    conversationId: where.channelId,
    teamId: where.teamId,
    serviceUrl: where.serviceUrl,
    setBy: { aadObjectId: auth.actor.aadObjectId, name: auth.actor.name },
    setAt: at,
  });
  await deps.audit.append({
    at,
    action: 'approvalsChannel.set',
    actor: auth.actor,
    outcome: 'ok',
    detail: `approvals channel set to ${where.channelId}`,
  });
  // Requests that waited for a channel are posted now.
  const waiting = (await deps.requests.pending()).filter((r) => !r.approvalCard);
  for (const r of waiting) await deps.jobs.enqueue({ type: 'postApprovalCard', requestId: r.id });
  return { kind: 'set', channelId: where.channelId, waiting: waiting.length };
}
