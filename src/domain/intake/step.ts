import { type IntakeDraft } from '../intake-draft';
import type { IntakeEffect, IntakeQuery, IntakeStep } from './intake-event';
import type { IntakeReply } from './intake-reply';

/* The shapes of one intake step, shared by the parts of the state machine. */

export const UNKNOWN: IntakeReply = { kind: 'stale', why: 'unknown' };

/** Display names, sign-in names and mail addresses typed are searched for up to this length. */
export const MAX_QUERY = 256;

export function reply(
  draft: IntakeDraft | undefined,
  answer: IntakeReply,
  effects: readonly IntakeEffect[] = [],
): IntakeStep {
  return { draft, effects, reply: answer };
}

export function ask(
  draft: IntakeDraft | undefined,
  query: IntakeQuery,
  effects: readonly IntakeEffect[] = [],
): IntakeStep {
  return { draft, effects, ask: query };
}

export const save = (draft: IntakeDraft): IntakeEffect => ({ type: 'saveDraft', draft, ifStale: 'fail' });

/** The request id a submitting or submitted draft claimed (set by the claim, never removed). */
export function claimedId(draft: IntakeDraft): string {
  if (draft.requestId === undefined)
    throw new Error(`Draft ${draft.id} is ${draft.stage} without a request id.`);
  return draft.requestId;
}
