import { noticeOf, type Job } from '../domain/jobs';
import { SendLater } from '../domain/notifier';
import { verifyDecision, type DecideDeps } from '../usecases/decide-approval';
import { fireDeadline, fireTimer } from '../usecases/fire-timer';
import type { NoticeDeps } from '../usecases/notice-deps';
import { postApprovalCard } from '../usecases/post-approval-card';
import {
  checkSubmission,
  pollExport,
  revokeSas,
  submitExport,
  type ExportDeps,
} from '../usecases/run-export';
import { notifyRequester, replyInThread } from '../usecases/send-notice';
import { updateApprovalCard } from '../usecases/update-approval-card';
import { runRetention, type RetentionDeps } from '../usecases/retention/run-retention';
import { watchExport } from '../usecases/watch-export';

export interface JobTableDeps {
  readonly notices: NoticeDeps;
  readonly decide: DecideDeps;
  readonly exports: ExportDeps;
  readonly retention: RetentionDeps;
}

/** A job's handler: the use case that does it. */
type JobHandler<T extends Job['type']> = (job: Extract<Job, { readonly type: T }>) => Promise<void>;

/**
 * Every job and the use case that runs it: one typed table, checked exhaustive by the compiler (as the card
 * verbs are). The worker hands each job here; nothing about Teams, Graph or storage is decided in this file.
 */
export function createJobTable(deps: JobTableDeps): (job: Job) => Promise<void> {
  const handlers = {
    postApprovalCard: (job) => postApprovalCard(deps.notices, job.requestId),
    updateApprovalCard: (job) => updateApprovalCard(deps.notices, job.requestId),
    replyInThread: (job) => replyInThread(deps.notices, job.requestId, job.key, noticeOf(job)),
    notifyRequester: (job) => notifyRequester(deps.notices, job.requestId, job.key, noticeOf(job)),
    verifyDecision: (job) => verifyDecision(deps.decide, job.requestId, job.claimId),
    remind: (job) => fireTimer(deps.decide, job),
    expire: (job) => fireTimer(deps.decide, job),
    deadline: (job) => fireDeadline(deps.decide, job),
    submitExport: (job) => submitExport(deps.exports, job.requestId, job.attempt, job.at),
    checkSubmission: (job) => checkSubmission(deps.exports, job.requestId, job.attempt, job.at),
    pollExport: (job) => pollExport(deps.exports, job.requestId, job.attempt, job.at),
    watchExport: (job) => watchExport(deps.exports, job.requestId, job.attempt, job.at),
    revokeSas: (job) => revokeSas(deps.exports, job.requestId, job.attempt),
    retention: async (job) => {
      await runRetention(deps.retention, job.requestId);
    },
  } satisfies { readonly [T in Job['type']]: JobHandler<T> };

  return async (job: Job): Promise<void> => {
    try {
      await (handlers[job.type] as (job: Job) => Promise<void>)(job);
    } catch (err) {
      if (!(err instanceof SendLater)) throw err;
      // Teams' limits for that conversation are used up: come back then, leaving the worker free meanwhile.
      await deps.notices.jobs.enqueue(job, new Date(deps.notices.clock.now().getTime() + err.ms));
    }
  };
}
