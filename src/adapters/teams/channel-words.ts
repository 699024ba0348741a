import type { ChannelNotice } from '../../domain/notice';

/**
 * The words of what the approvals channel is told about many requests at once (the daily overdue digest),
 * beside notice-words.ts, which words what a request's thread and its requester are told.
 */
export function channelText(notice: ChannelNotice): string {
  switch (notice.kind) {
    case 'overdueDigest': {
      const rows = notice.items.map(
        (i) =>
          `- ${i.requestId}: due ${i.dueDate}, ${i.daysOverdue} day${i.daysOverdue === 1 ? '' : 's'} overdue${i.exported ? ', exported: record the delivery' : ''}`,
      );
      const more =
        notice.total > notice.items.length ? [`…and ${notice.total - notice.items.length} more.`] : [];
      return [
        `Overdue data-subject requests on ${notice.day}: ${notice.total}. Each day late counts against the legal deadline; deliver, extend (where the law allows) or close them.`,
        ...rows,
        ...more,
        'Say "open requests" to me for the full list.',
      ].join('\n');
    }
  }
}
