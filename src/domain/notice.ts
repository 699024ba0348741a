import type { ExportContents } from './export-contents';

/**
 * What the bot tells people, as facts: the core says *what* happened (a notice kind and its facts) and one
 * module at the edge (src/adapters/teams/notice-words.ts) says it in words. A notice carries every fact its
 * sentence needs, as they were when it happened, so a job run later says the same thing.
 */

/** Where an attempt's data goes: its container, in a storage account (unknown until the container exists). */
export interface ExportPlace {
  readonly container: string;
  readonly account: string | undefined;
}

/** A decision, told to the thread and to the requester. */
export type DecisionNotice =
  | { readonly kind: 'approved'; readonly requestId: string; readonly subject: string; readonly by: string }
  | {
      readonly kind: 'rejected';
      readonly requestId: string;
      readonly subject: string;
      readonly by: string;
      readonly reason: string;
    }
  /** Nobody decided before the approval round ran out. */
  | {
      readonly kind: 'expired';
      readonly requestId: string;
      readonly subject: string;
      readonly dueDate: string;
    };

/** How an export ended, told to the thread and to the requester. */
export type OutcomeNotice =
  | ({
      readonly kind: 'exportCompleted';
      readonly requestId: string;
      readonly subject: string;
      readonly dueDate: string;
      /** Graph's completion rate, when below 100 %: some products' data may be missing. */
      readonly completionRate: number | undefined;
      /** What the container holds (folders, files, size), when it could be read. */
      readonly contents?: ExportContents;
    } & ExportPlace)
  | {
      readonly kind: 'exportFailed';
      readonly requestId: string;
      readonly subject: string;
      readonly code: string;
      readonly message: string;
    };

/** The legal clock, told to the thread (or the requester when there is no thread) and to the requester. */
export type ClockNotice =
  /** A deadline reminder: 7 days and 1 day before the due date, and once overdue. */
  | {
      readonly kind: 'deadline';
      readonly requestId: string;
      readonly subject: string;
      readonly step: 'week' | 'day' | 'overdue';
      readonly dueDate: string;
      /** Whether the data was exported already (then what is left is delivery). */
      readonly exported: boolean;
    }
  | {
      readonly kind: 'extended';
      readonly requestId: string;
      readonly by: string;
      readonly fromDue: string;
      readonly toDue: string;
      readonly reason: string;
      /** The first period's end: the subject must be told of the extension and its reason by then. */
      readonly tellBy: string;
    }
  | {
      readonly kind: 'delivered';
      readonly requestId: string;
      readonly by: string;
      readonly date: string;
      readonly method: string;
      readonly daysLate: number;
    }
  | {
      readonly kind: 'closureProposed';
      readonly requestId: string;
      readonly by: string;
      readonly reason: string;
    }
  | { readonly kind: 'closureWithdrawn'; readonly requestId: string; readonly by: string }
  | {
      readonly kind: 'closed';
      readonly requestId: string;
      readonly proposedBy: string;
      readonly by: string;
      readonly reason: string;
    }
  | {
      readonly kind: 'identityRecorded';
      readonly requestId: string;
      readonly by: string;
      readonly method: string;
    };

/** Retention of the exported data, told to the thread (or the requester when there is no thread). */
export type RetentionNotice =
  /** The delivered export will be deleted on `deleteOn`, `days` after its delivery, unless an admin holds it. */
  | {
      readonly kind: 'exportDeletionSoon';
      readonly requestId: string;
      readonly deleteOn: string;
      readonly days: number;
    }
  /** Containers of the request were deleted: the delivered export past its time, or attempts nobody used. */
  | {
      readonly kind: 'exportDeleted';
      readonly requestId: string;
      readonly containers: number;
      readonly why: 'delivered' | 'unused';
    }
  | { readonly kind: 'exportHeld'; readonly requestId: string; readonly by: string; readonly reason: string }
  | { readonly kind: 'holdReleased'; readonly requestId: string; readonly by: string };

/**
 * A sentence already in words: a job queued, or an effect stored, by a version from before notices carried
 * their facts. Said as it is, so that a deploy loses no notice; nothing new is made of this kind.
 */
export interface WordedNotice {
  readonly kind: 'worded';
  readonly text: string;
}

/** What the approval card's thread is told. */
export type ThreadNotice =
  | DecisionNotice
  | OutcomeNotice
  | ClockNotice
  | RetentionNotice
  | WordedNotice
  | { readonly kind: 'cancelled'; readonly by: string }
  | { readonly kind: 'reminder'; readonly requestId: string; readonly dueDate: string }
  /** A decision claimed while Graph was slow did not stand (the decider's role, or the request moved on). */
  | { readonly kind: 'decisionRefused'; readonly by: string; readonly why: string }
  | ({
      readonly kind: 'submitted';
      readonly subject: string;
      /** How long exports usually take here, as configured; absent: Graph's "a few days, up to 30". */
      readonly expectedMs?: number;
    } & ExportPlace)
  /** An admin asked to resubmit, but a last look found that Graph took the export after all. */
  | ({ readonly kind: 'foundBeforeResubmit'; readonly requestId: string } & ExportPlace)
  /** The approval's attempts are used up: the request needs a new approval. */
  | { readonly kind: 'reapprovalNeeded'; readonly requestId: string; readonly attempts: number }
  | {
      readonly kind: 'resubmitted';
      readonly requestId: string;
      readonly by: string;
      /** The new attempt's container. */
      readonly container: string;
    }
  /** Graph's evidence is in the container, but it names no operation the bot can follow. */
  | ({ readonly kind: 'exportUntraceable'; readonly requestId: string } & ExportPlace)
  /** No evidence that Graph took the export: the channel is asked before anything is submitted again. */
  | ({ readonly kind: 'outcomeUnknown'; readonly requestId: string; readonly detail: string } & ExportPlace)
  | {
      readonly kind: 'pollFailing';
      readonly requestId: string;
      /** Failed reads in a row. */
      readonly failures: number;
      readonly detail: string;
    }
  /** Graph no longer knows the operation the bot followed. */
  | ({ readonly kind: 'operationLost'; readonly requestId: string; readonly detail: string } & ExportPlace)
  /** An export job failed again and again; it comes back at `retryAt`. */
  | {
      readonly kind: 'exportStuck';
      readonly requestId: string;
      readonly job: 'submitExport' | 'checkSubmission' | 'pollExport';
      readonly why: string;
      readonly retryAt: string;
    };

/** What the requester is told. */
export type RequesterNotice =
  | DecisionNotice
  | OutcomeNotice
  | ClockNotice
  | RetentionNotice
  | WordedNotice
  /** Teams refused the approvals channel (`code`): the card could not be posted; the request is kept. */
  | { readonly kind: 'notInChannel'; readonly requestId: string; readonly code: string }
  /** A notice for the thread that the channel refused (`code`), told to the requester instead. */
  | { readonly kind: 'threadRefused'; readonly notice: ThreadNotice; readonly code: string };

/** What the approvals channel is told about many requests at once. */
export type ChannelNotice = {
  /** The daily digest of overdue requests (`total` of them; `items` the most overdue, at most a page). */
  readonly kind: 'overdueDigest';
  readonly day: string;
  readonly total: number;
  /** Ids and dates only: the channel may not be where every one of these requests was posted. */
  readonly items: readonly {
    readonly requestId: string;
    readonly dueDate: string;
    readonly daysOverdue: number;
    /** Whether the data was exported already (delivery is what is left). */
    readonly exported: boolean;
  }[];
};

export type Notice = ThreadNotice | RequesterNotice;

/** The place of an attempt, as its notices name it. */
export function exportPlace(attempt: {
  readonly containerName: string;
  readonly accountName?: string;
}): ExportPlace {
  return { container: attempt.containerName, account: attempt.accountName };
}
