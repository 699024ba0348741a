/**
 * Work the bot does outside a turn, through a durable queue: whichever instance is free takes it, and it
 * comes back if that instance dies before finishing. Every job is safe to run twice.
 */
export type Job =
  | { readonly type: 'postApprovalCard'; readonly requestId: string }
  | { readonly type: 'updateApprovalCard'; readonly requestId: string }
  | {
      readonly type: 'replyInThread';
      readonly requestId: string;
      readonly key: string;
      readonly text: string;
    }
  | {
      readonly type: 'notifyRequester';
      readonly requestId: string;
      readonly key: string;
      readonly text: string;
    }
  | { readonly type: 'verifyDecision'; readonly requestId: string; readonly claimId: string }
  /** `at`: when the timer was due; only the timer the request still waits for acts (absent on old jobs). */
  | { readonly type: 'remind'; readonly requestId: string; readonly at?: string }
  | { readonly type: 'expire'; readonly requestId: string; readonly at?: string }
  /** Jobs of one export attempt; `at` is when it was due: only the job the request still waits for acts. */
  | {
      readonly type: 'submitExport';
      readonly requestId: string;
      readonly attempt: number;
      readonly at: string;
    }
  | {
      readonly type: 'checkSubmission';
      readonly requestId: string;
      readonly attempt: number;
      readonly at: string;
    }
  | { readonly type: 'pollExport'; readonly requestId: string; readonly attempt: number; readonly at: string }
  | { readonly type: 'revokeSas'; readonly requestId: string; readonly attempt: number };

export type JobType = Job['type'];
