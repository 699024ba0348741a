import type { Actor, ExportRequest } from '../domain/export-request';
import { isHomeTenant, sameId } from '../domain/identity';
import { mayActAsAdmin } from '../domain/policies';
import type { Directory } from '../domain/ports';
import type { LifecycleEvent, Refusal, RetentionEvent } from '../domain/workflow';
import { isRepeatedExtension } from '../domain/workflow/lifecycle';
import { cleanReason } from '../domain/text';
import { applyEvent, flushOutbox, OUTBOX_GRACE_MS, type ApplyEventDeps } from './apply-event';
import type { Caller } from './who-am-i';

export interface ActDeps extends ApplyEventDeps {
  /** Live: the actor's admin role is checked at the moment of the action, never from a cache. */
  readonly directory: Directory;
  readonly homeTenantId: string;
  readonly allowedRoleIds: readonly string[];
  /** How long the invoke may wait for Graph's role answer (Teams' invoke budget is about 5 s). */
  readonly roleCheckBudgetMs: number;
  /** Resolves after `ms` (injected: no timers in use cases). */
  readonly after: (ms: number) => Promise<void>;
}

/** What an admin does about a request's legal clock or its retention; the actor is added from the activity. */
export type LifecycleAction = DistributiveOmit<
  | Exclude<LifecycleEvent, { readonly type: 'deadlineDue' }>
  | Extract<RetentionEvent, { readonly type: 'hold' | 'releaseHold' }>,
  'by'
>;

/** An admin's event: the action with its actor. */
type AdminEvent = Extract<LifecycleEvent | RetentionEvent, { readonly by: Actor }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type ActRefusal =
  /** Not in the home tenant, no object id, or no such request: nothing about the request is said. */
  'notAvailable' | 'noRole' | 'roleCheckSlow' | Refusal['reason'];

export type ActReply =
  | { readonly kind: 'done'; readonly request: ExportRequest }
  | {
      readonly kind: 'refused';
      readonly why: ActRefusal;
      readonly request: ExportRequest | undefined;
      /** For an extension refused: why, in the clock's terms. */
      readonly detail?: string;
    };

/**
 * An admin's action on a request's legal clock (identity check, extension, delivery, closure) or its retention
 * (a hold and its release), from its card
 * or its status card in any chat. Identity comes from Teams; the caller must be in the home tenant and hold an
 * allowed admin role right now (checked live). The workflow decides what the record allows (four eyes on a
 * closure, the extension limits). Every refusal is audited; the same action delivered twice changes nothing
 * the second time (the workflow refuses it, or it is the same state).
 */
export async function actOnRequest(
  deps: ActDeps,
  caller: Caller,
  requestId: string,
  action: LifecycleAction,
): Promise<ActReply> {
  // Tenant and role first, before the store is read: someone who may not act learns the same thing, in the
  // same time, whether the request exists or not.
  /** Records the refusal; `known` is the request as it stands, told only to an admin. */
  const refuse = async (why: ActRefusal, detail: string, known?: ExportRequest): Promise<ActReply> => {
    await deps.audit.append({
      at: deps.clock.now().toISOString(),
      action: 'decision.refused',
      actor: { aadObjectId: caller.aadObjectId, name: caller.name, tenantId: caller.tenantId },
      outcome: 'refused',
      ...(known ? { requestId: known.id } : {}),
      detail: `${action.type} refused: ${detail}`,
    });
    return { kind: 'refused', why, request: known };
  };
  if (!isHomeTenant(caller.tenantId, deps.homeTenantId) || !caller.aadObjectId)
    return refuse('notAvailable', 'not the home tenant, or no Entra object id');
  const by: Actor = { aadObjectId: caller.aadObjectId, name: caller.name ?? caller.aadObjectId };

  const late = deps.after(deps.roleCheckBudgetMs).then(() => 'late' as const);
  const work = deps.directory.heldRoles(by.aadObjectId, deps.allowedRoleIds);
  const roles = await Promise.race([work, late]);
  if (roles === 'late') {
    work.catch(() => undefined);
    return refuse('roleCheckSlow', 'Graph did not confirm the role in time');
  }
  if (!mayActAsAdmin(roles)) return refuse('noRole', 'holds none of the allowed roles now');
  const request = await deps.requests.get(requestId);
  if (!request) return refuse('notAvailable', 'no such request');

  const event = { ...action, by } as AdminEvent;
  const result = await applyEvent(deps, request.id, event);
  if (result.ok) return { kind: 'done', request: result.request };
  if (result.reason === 'notFound') return refuse('notAvailable', 'gone');
  if (isRepeat(result.request, event, deps.clock.now())) {
    // The same click delivered twice (Teams retries slow invokes): the same answer, nothing new.
    if ((result.request.outbox ?? []).length > 0) await flushOutbox(deps, request.id, OUTBOX_GRACE_MS);
    return { kind: 'done', request: result.request };
  }
  return refuse(
    result.reason,
    result.reason === 'extensionRefused' ? `extension refused (${result.why})` : result.reason,
    result.request,
  );
}

/** Whether the stored request already shows this person's same action (a repeated delivery of one click). */
function isRepeat(request: ExportRequest, event: AdminEvent, now: Date): boolean {
  const mine = (actor: Actor | undefined) =>
    'by' in event && actor !== undefined && sameId(actor.aadObjectId, event.by.aadObjectId);
  switch (event.type) {
    case 'deliver':
      return (
        request.status === 'delivered' && mine(request.delivery?.by) && request.delivery?.date === event.date
      );
    case 'confirmClosure':
      return request.status === 'closed' && mine(request.closure?.confirmedBy);
    case 'extend':
      // The workflow refused it as the same extension again, within its repeat window.
      return isRepeatedExtension(request, event.by, cleanReason(event.reason), now);
    case 'proposeClosure':
      return (
        request.closure !== undefined &&
        mine(request.closure.proposedBy) &&
        request.closure.reason === event.reason
      );
    case 'withdrawClosure':
      // Kept open already (a newer proposal is not withdrawn by an older card: the workflow says stale).
      return request.closure === undefined;
    case 'recordIdentity':
      return mine(request.identity?.by) && request.identity?.method === event.method;
    case 'hold':
      return (
        mine(request.retention?.hold?.by) && request.retention?.hold?.reason === cleanReason(event.reason)
      );
    case 'releaseHold':
      return request.retention?.hold === undefined;
  }
}
