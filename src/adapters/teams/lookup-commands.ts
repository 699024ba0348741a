import type { Activity, TurnContext } from 'botbuilder';
import type { CommandMessage, TeamsFxBotCommandHandler } from '@microsoft/teamsfx';
import { isRequestId, type LookupQuery } from '../../usecases/look-up-requests';
import { cardMessage } from './activity';
import type { createAuditHandlers } from './audit-handlers';
import { COMMANDS } from './commands';
import type { createRecordsHandlers } from './records-handlers';
import type { createRequestHandlers } from './request-handlers';

/** What `status …` (or a bare request id) asks for: a request by id, or open requests by a person's name. */
export function statusQuery(text: string): LookupQuery | undefined {
  const what = text
    .trim()
    .replace(/^(?:status|show|find)\b\s*(?:of|for)?\s*/i, '')
    .replace(/^["'“”‘’]+|["'“”‘’?.!]+$/g, '')
    .trim();
  if (what === '') return undefined;
  return isRequestId(what) ? { kind: 'request', id: what } : { kind: 'search', text: what };
}

/** The request id `audit …` names ("audit DSR-2026-0042", "audit trail of dsr-2026-0042"), or undefined. */
export function auditQuery(text: string): string | undefined {
  const what = text
    .trim()
    .replace(/^(?:audit(?:\s+trail)?|trail)\b\s*(?:of|for)?\s*/i, '')
    .replace(/^["'“”‘’]+|["'“”‘’?.!]+$/g, '')
    .trim();
  return isRequestId(what) ? what.toUpperCase() : undefined;
}

/**
 * The lookup and records commands: `status …`, `my requests`, `open requests`, `audit …`, `report …`, `hold …`
 * and `release …` (their rights are checked in the use cases).
 */
export function createLookupCommands(
  requests: ReturnType<typeof createRequestHandlers>,
  audits: ReturnType<typeof createAuditHandlers>,
  records: ReturnType<typeof createRecordsHandlers>,
): TeamsFxBotCommandHandler[] {
  const reply = (answer: string | Parameters<typeof cardMessage>[0], summary: string) =>
    typeof answer === 'string' ? answer : cardMessage(answer, summary);
  const answer = async (context: TurnContext, query: LookupQuery, summary: string) =>
    cardMessage(await requests.command(context, query), summary);
  return [
    {
      triggerPatterns: COMMANDS.status.pattern,
      handleCommandReceived(
        context: TurnContext,
        message: CommandMessage,
      ): Promise<string | Partial<Activity>> {
        const query = statusQuery(message.text);
        if (!query)
          return Promise.resolve(
            'Which request? Say "status DSR-2026-0042" with its id, or "status" and the person\'s name. "open requests" lists them all.',
          );
        return answer(context, query, 'Request status');
      },
    },
    {
      triggerPatterns: COMMANDS.myRequests.pattern,
      handleCommandReceived: (context: TurnContext) =>
        answer(context, { kind: 'mine', page: 0 }, 'Your requests'),
    },
    {
      triggerPatterns: COMMANDS.openRequests.pattern,
      handleCommandReceived: (context: TurnContext) =>
        answer(context, { kind: 'open', page: 0 }, 'Open requests'),
    },
    {
      triggerPatterns: COMMANDS.audit.pattern,
      async handleCommandReceived(
        context: TurnContext,
        message: CommandMessage,
      ): Promise<string | Partial<Activity>> {
        const id = auditQuery(message.text);
        if (!id)
          return 'Which request? Say "audit DSR-2026-0042" with its id; "status" and the person\'s name finds it.';
        return cardMessage(await audits.command(context, id), 'Audit trail');
      },
    },
    {
      triggerPatterns: COMMANDS.report.pattern,
      async handleCommandReceived(
        context: TurnContext,
        message: CommandMessage,
      ): Promise<string | Partial<Activity>> {
        const range = message.text.trim().replace(/^(?:report|metrics)\b\s*(?:for|of)?\s*/i, '');
        return reply(await records.report(context, range), 'Request figures');
      },
    },
    {
      triggerPatterns: COMMANDS.hold.pattern,
      handleCommandReceived: (context: TurnContext, message: CommandMessage) =>
        records.hold(context, message.text, /^\s*release\b/i.test(message.text)),
    },
  ];
}
