import type { ExportRequest, PostedCard } from './export-request';
import type { ChannelNotice, RequesterNotice, ThreadNotice } from './notice';

/**
 * Where the bot speaks: the approvals channel and the requester. Implemented over Teams (proactive messages);
 * the use cases decide what is said (a notice and its facts), when, and what happens when a conversation is
 * gone; the notifier says it in words.
 */
export interface Notifier {
  /** Whether an approvals channel is known (set by an admin or configured) to post approval cards in. */
  hasApprovalsChannel(): Promise<boolean>;
  /**
   * Posts the request's approval card as a new thread in the approvals channel and says where it landed.
   * Undefined when no approvals channel is set yet (the card is posted once one is).
   */
  postApprovalCard(request: ExportRequest): Promise<PostedCard | undefined>;
  /** A notice about many requests as a new post in the approvals channel; false when none is set. */
  tellApprovalsChannel(notice: ChannelNotice): Promise<boolean>;
  /** Replaces the approval card in place with what is true now, for everyone in the channel. */
  updateApprovalCard(request: ExportRequest, posted: PostedCard): Promise<void>;
  /** A notice, in plain-text words, as a reply in the approval card's thread. */
  replyInThread(request: ExportRequest, posted: PostedCard, notice: ThreadNotice): Promise<void>;
  /**
   * A notice, in plain-text words, to the requester: in their 1:1 chat with the bot (the one they asked in, or
   * one it opens), else in the conversation they asked in.
   */
  tellRequester(request: ExportRequest, notice: RequesterNotice): Promise<void>;
}

/** Teams refused for good (403/404: the bot was removed, the conversation is gone). Never retried. */
export class ConversationGoneError extends Error {
  constructor(readonly code: string | undefined) {
    super(`Teams refused the conversation (${code ?? 'error'})`);
    this.name = 'ConversationGoneError';
  }
}

/** The conversation is busy under Teams' rate limits: send again in `ms`, leaving the worker free meanwhile. */
export class SendLater extends Error {
  constructor(readonly ms: number) {
    super(`Teams' rate limit for this conversation: sending in ${ms} ms`);
    this.name = 'SendLater';
  }
}

/** Notices already sent, per request and key, so that a job run twice does not send twice. */
export interface NoticeLog {
  wasSent(requestId: string, key: string): Promise<boolean>;
  /** Records a sent notice; false when it was already recorded (another run sent it too). */
  record(requestId: string, key: string, at: string): Promise<boolean>;
  /**
   * Claims sending the notice until `until` (ISO times); false while another run's claim holds. A claim that
   * ran out (its sender died) is taken over. Two copies of one notice job running at once send it once.
   */
  claim(requestId: string, key: string, now: string, until: string): Promise<boolean>;
  /** Gives a claim up (the send failed: another run may try at once). */
  release(requestId: string, key: string): Promise<void>;
}
