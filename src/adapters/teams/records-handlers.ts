import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/render';
import { RANGE_REFUSAL_WORDS, reportCard } from '../../cards/report-card';
import { describeError, type Logger } from '../../logger';
import { actOnRequest, type ActDeps, type LifecycleAction } from '../../usecases/act-on-request';
import { issueDownloadLink, type IssueLinkDeps } from '../../usecases/issue-download-link';
import { isRequestId } from '../../usecases/look-up-requests';
import { yearReport, type YearReportDeps } from '../../usecases/year-report';
import { callerOf } from './activity';
import { refusalWords } from './lifecycle-inputs';
import { adminRefusalCard } from './refusal-cards';

export interface RecordsHandlerDeps {
  /** The yearly report: every request and tombstone, the audit container, the caller's rights (live). */
  readonly report: YearReportDeps;
  /** One-time links to the report's CSV. */
  readonly links: IssueLinkDeps;
  /** Holds and their release: an admin's action on a request (role checked live). */
  readonly act: ActDeps;
  readonly log: Logger;
}

const isPersonal = (context: TurnContext) => context.activity.conversation?.conversationType === 'personal';

/** What `hold …` and `release …` name: the request id and, for a hold, the reason that follows it. */
export function holdQuery(text: string): { readonly id: string; readonly reason: string } | undefined {
  const m =
    /^\s*(?:hold|release)(?:\s+(?:hold|the hold))?(?:\s+(?:on|of|for))?\s+(DSR-\d{4}-\d{4,})\b[\s:,.-]*(.*)$/is.exec(
      text,
    );
  if (!m?.[1] || !isRequestId(m[1])) return undefined;
  return { id: m[1].toUpperCase(), reason: (m[2] ?? '').trim() };
}

/**
 * The records commands: `report 2026` (the yearly figures of CCPA §7102 and GDPR lateness, with a one-time
 * link to the CSV), `hold DSR-… <reason>` and `release DSR-…` (retention). Rights come from the activity and
 * are checked live in the use cases. The report is answered in a 1:1 chat only; a hold's confirmation names
 * the request only to the admin who asked (the thread in the approvals channel is told in full).
 */
export function createRecordsHandlers(deps: RecordsHandlerDeps) {
  return {
    async report(context: TurnContext, rangeText: string): Promise<AdaptiveCard | string> {
      if (!isPersonal(context))
        return 'Reports are shown in a 1:1 chat only: say "report" and the year to me there.';
      const caller = callerOf(context.activity);
      try {
        const answer = await yearReport(deps.report, caller, rangeText);
        if (answer.kind === 'refused')
          return adminRefusalCard(
            answer.reason === 'noRole' ? 'noRole' : 'notAvailable',
            'The yearly report is for',
          );
        if (answer.kind === 'badRange') return RANGE_REFUSAL_WORDS[answer.reason];
        const actor = {
          aadObjectId: caller.aadObjectId ?? '',
          name: caller.name ?? caller.aadObjectId ?? '',
        };
        const download = await issueDownloadLink(deps.links, actor, answer.file).catch((err: unknown) => {
          deps.log.warn('Could not issue a download link for a report', { error: describeError(err) });
          return undefined;
        });
        return reportCard({
          metrics: answer.metrics,
          file: answer.file,
          generatedAt: answer.generatedAt,
          ...(download ? { download } : {}),
        });
      } catch (err) {
        deps.log.error('The yearly report failed', { error: describeError(err) });
        return 'I could not build the report: something went wrong on my side. Please try again in a moment.';
      }
    },

    async hold(context: TurnContext, text: string, release: boolean): Promise<string> {
      const query = holdQuery(text);
      if (!query)
        return release
          ? 'Which request? Say "release DSR-2026-0042".'
          : 'Which request, and why? Say "hold DSR-2026-0042" and the reason (a complaint, a dispute, a legal hold).';
      if (!release && query.reason === '')
        return `Give the reason for the hold after the id, e.g. "hold ${query.id} complaint to the regulator": it goes into the record.`;
      const action: LifecycleAction = release
        ? { type: 'releaseHold' }
        : { type: 'hold', reason: query.reason };
      try {
        const reply = await actOnRequest(deps.act, callerOf(context.activity), query.id, action);
        if (reply.kind === 'refused') {
          if (reply.why === 'notAvailable' || !reply.request) return refusalWords(reply.why, undefined);
          return refusalWords(reply.why, reply.request);
        }
        const where = isPersonal(context) ? '' : ' The approvals thread has the details.';
        return release
          ? `The hold on ${reply.request.id} is released: its data is deleted when its retention ends (at the next daily run if it has ended).${where}`
          : `${reply.request.id} is on hold: the bot deletes nothing of it until an admin says "release ${reply.request.id}". (The export account's own backstop still deletes export files untouched for 180 days, unless whoever runs the deployment raises it: docs/deploy.md.)${where}`;
      } catch (err) {
        deps.log.error('A hold or release failed', { requestId: query.id, error: describeError(err) });
        return 'Nothing was recorded: something went wrong on my side. Please try again in a moment.';
      }
    },
  };
}
