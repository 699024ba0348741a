import type { JobEffect } from './effect';
import type { Notice, RequesterNotice, ThreadNotice } from './notice';

/**
 * Jobs as an earlier version queued them (or left them as effects in a record's outbox), still run after a
 * deploy: timers without their due time, and notices already in words (`text`).
 */
type EarlierJobEffect =
  | { readonly type: 'remind'; readonly at?: undefined }
  | { readonly type: 'expire'; readonly at?: undefined }
  | {
      readonly type: 'replyInThread';
      readonly key: string;
      readonly text: string;
      readonly notice?: undefined;
    }
  | {
      readonly type: 'notifyRequester';
      readonly key: string;
      readonly text: string;
      readonly notice?: undefined;
    };

/** Work addressed to the request it is about. */
type Addressed<E> = E extends unknown ? E & { readonly requestId: string } : never;

/**
 * Work the bot does outside a turn, through a durable queue: whichever instance is free takes it, and it
 * comes back if that instance dies before finishing. Every job is safe to run twice. A job is a
 * {@link JobEffect} addressed to its request: the two share one vocabulary.
 */
export type Job = Addressed<JobEffect | EarlierJobEffect>;

export type JobType = Job['type'];

/** The job an effect asks for, addressed to its request. */
export function jobOf(requestId: string, effect: JobEffect): Job {
  return { ...effect, requestId };
}

type NoticeJob<T extends 'replyInThread' | 'notifyRequester'> = Extract<Job, { readonly type: T }>;

/** What a notice job says: its notice, or the words an earlier version queued (said as they are). */
export function noticeOf(job: NoticeJob<'replyInThread'>): ThreadNotice;
export function noticeOf(job: NoticeJob<'notifyRequester'>): RequesterNotice;
export function noticeOf(job: NoticeJob<'replyInThread' | 'notifyRequester'>): Notice {
  return job.notice !== undefined ? job.notice : { kind: 'worded', text: job.text };
}
