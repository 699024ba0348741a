import type { TurnContext } from 'botbuilder';
import { auditTrailCard, describeVerdict, verdictHeadline } from '../../cards/audit-trail-card';
import { fileLinkCard } from '../../cards/file-link-card';
import { noticeCard } from '../../cards/intake-cards';
import { privateAnswerCard } from '../../cards/private-answer-card';
import type { AdaptiveCard } from '../../cards/render';
import type { PortalLinks } from '../../cards/request-facts';
import { VERB, type AuditVerb } from '../../cards/verbs';
import type { TrailFileFormat } from '../../domain/audit-file-format';
import { describeError, type Logger } from '../../logger';
import { exportAuditTrail, type ExportTrailDeps } from '../../usecases/export-audit-trail';
import { isRequestId } from '../../usecases/look-up-requests';
import { readAuditTrail, type TrailRefusal } from '../../usecases/read-audit-trail';
import { callerOf } from './activity';
import { adminRefusalCard } from './refusal-cards';
import { postedToAll } from './request-handlers';

export interface AuditHandlerDeps {
  /** Reading and exporting trails: the lookups' ports and rights, the audit container, the download links. */
  readonly trails: Omit<ExportTrailDeps, 'describeVerdict'>;
  /** The Azure portal (or, locally, the sandbox console), to link to the audit container (never a SAS). */
  readonly portal?: PortalLinks;
  readonly log: Logger;
}

const FORMAT_NAMES: Record<TrailFileFormat, string> = { jsonl: 'JSON Lines', csv: 'CSV' };

/** What an Action.Submit (old clients) in a group chat or channel gets: the answer would be posted for everyone. */
const ONLY_IN_PERSONAL_CHAT = {
  title: 'Shown in a 1:1 chat only',
  text: 'In a group chat or channel, this Teams client would post the answer for everyone. Say "audit" and the request id to me in a 1:1 chat.',
  tone: 'default',
} as const;

const NO_SUCH_TRAIL = {
  title: 'No such request',
  text: 'I know no request or audit trail by that id. Say "open requests" to see the open ones, or "my requests" for yours.',
  tone: 'default',
} as const;

const WENT_WRONG = {
  title: 'Something went wrong on my side',
  text: 'I could not read or export the audit trail. Please try again in a moment.',
  tone: 'attention',
} as const;

/** The same words whether or not the request exists: a refusal says nothing about it. */
const refusalCard = (refusal: TrailRefusal): AdaptiveCard =>
  adminRefusalCard(refusal.kind, 'Audit trails are shown to');

/** A request id from card data (client-supplied: shape only, upper case), or '' (answered as unknown). */
const requestIdOf = (data: Record<string, unknown>) =>
  typeof data.requestId === 'string' && isRequestId(data.requestId)
    ? data.requestId.trim().toUpperCase()
    : '';

const pageOf = (data: Record<string, unknown>) => {
  const page = typeof data.page === 'number' ? data.page : Number(data.page);
  return Number.isSafeInteger(page) && page >= 0 ? page : 0;
};

/**
 * `audit DSR-2026-0042` and the trail card's buttons: a page of the trail with its verdict, Previous/Next,
 * and the exports (JSON Lines, CSV) with a one-time read link. Rights come from the activity and are checked
 * live on every command and click (home tenant, an allowed admin role now), never from card data. In a 1:1
 * chat the trail comes at once; in a group chat or channel the chat gets a neutral note and each admin fetches
 * the trail on their own screen (decision 0009). An old client's Action.Submit in a shared chat would post
 * the answer for everyone: it gets a pointer to the 1:1 chat instead, and nothing is exported.
 */
export function createAuditHandlers(deps: AuditHandlerDeps) {
  const trails: ExportTrailDeps = { ...deps.trails, describeVerdict };

  async function showPage(context: TurnContext, requestId: string, page: number): Promise<AdaptiveCard> {
    try {
      const answer = await readAuditTrail(trails, callerOf(context.activity), requestId, page);
      if (answer.kind === 'none') return noticeCard(NO_SUCH_TRAIL);
      if (answer.kind !== 'trail') return refusalCard(answer);
      if (!answer.viewRecorded)
        deps.log.error('An audit trail view could not be recorded', { requestId: answer.requestId });
      return auditTrailCard({
        ...answer,
        ...(answer.viewRecorded
          ? {}
          : {
              note: 'This view could not be recorded in the trail: it refuses new entries. Tell whoever looks after the bot’s storage.',
            }),
      });
    } catch (err) {
      deps.log.error('Reading an audit trail failed', { requestId, error: describeError(err) });
      return noticeCard(WENT_WRONG);
    }
  }

  async function exportTrail(
    context: TurnContext,
    requestId: string,
    format: TrailFileFormat,
  ): Promise<AdaptiveCard> {
    try {
      const answer = await exportAuditTrail(trails, callerOf(context.activity), requestId, format);
      if (answer.kind === 'none') return noticeCard(NO_SUCH_TRAIL);
      if (answer.kind !== 'exported') return refusalCard(answer);
      const back = { requestId: answer.requestId, page: 0 };
      return fileLinkCard({
        title: `Audit trail of ${answer.requestId} exported`,
        intro: `${answer.entries === 1 ? '1 entry' : `${answer.entries} entries`} as ${FORMAT_NAMES[format]}, with the verdict: ${verdictHeadline(answer.verification)}`,
        file: answer.file,
        link: answer.link,
        ...(deps.portal ? { portal: deps.portal } : {}),
        now: trails.clock.now(),
        actions: [
          {
            type: 'Action.Execute',
            title: 'Back to the trail',
            verb: VERB.auditPage,
            data: back,
            fallback: {
              type: 'Action.Submit',
              title: 'Back to the trail',
              data: { verb: VERB.auditPage, ...back },
            },
          },
        ],
      });
    } catch (err) {
      deps.log.error('Exporting an audit trail failed', { requestId, format, error: describeError(err) });
      return noticeCard(WENT_WRONG);
    }
  }

  return {
    /** `audit DSR-…`: the first page in a 1:1 chat; a neutral note with a per-person answer elsewhere. */
    command(context: TurnContext, requestId: string): Promise<AdaptiveCard> {
      const id = requestId.trim().toUpperCase();
      if (context.activity.conversation?.conversationType === 'personal') return showPage(context, id, 0);
      const asker = typeof context.activity.from?.id === 'string' ? [context.activity.from.id] : [];
      return Promise.resolve(
        privateAnswerCard({
          title: `Audit trail of ${isRequestId(id) ? id : 'a request'}`,
          verb: VERB.auditPage,
          data: { requestId: id, page: 0 },
          refreshUserIds: asker,
        }),
      );
    },

    /** The trail card's buttons (and the refresh of a shared chat's note). */
    cardAction(context: TurnContext, verb: AuditVerb, data: Record<string, unknown>): Promise<AdaptiveCard> {
      if (postedToAll(context)) return Promise.resolve(noticeCard(ONLY_IN_PERSONAL_CHAT));
      const requestId = requestIdOf(data);
      if (verb === VERB.auditPage) return showPage(context, requestId, pageOf(data));
      if (data.format !== 'jsonl' && data.format !== 'csv')
        return Promise.resolve(
          noticeCard({
            title: 'I do not know this format',
            text: 'The trail exports as JSON Lines or CSV. Say "audit" and the request id for a fresh card.',
            tone: 'attention',
          }),
        );
      return exportTrail(context, requestId, data.format);
    },
  };
}
