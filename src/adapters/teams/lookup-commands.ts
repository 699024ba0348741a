import type { Activity, TurnContext } from 'botbuilder';
import type { CommandMessage, TeamsFxBotCommandHandler } from '@microsoft/teamsfx';
import { isRequestId, type LookupQuery } from '../../usecases/look-up-requests';
import { cardMessage } from './activity';
import { COMMANDS } from './commands';
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

/** The lookup commands: `status …`, `my requests`, `open requests` (their rights are checked in the use case). */
export function createLookupCommands(
  requests: ReturnType<typeof createRequestHandlers>,
): TeamsFxBotCommandHandler[] {
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
  ];
}
