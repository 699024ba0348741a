/**
 * The commands the bot understands: one table shared by the router, the help card and the app manifest's
 * command lists (a test keeps them equal). Patterns see the text with the bot's @mention removed, trimmed and lower-cased.
 */
export const COMMANDS = {
  help: {
    example: 'help',
    title: 'help',
    description: 'Show what I can do.',
    pattern: /^(help|\?|what can you do\??|commands)$/,
  },
  whoami: {
    example: 'whoami',
    title: 'whoami',
    description:
      'Show who you are to me and which allowed admin roles Microsoft Graph says you hold right now.',
    pattern: /^(whoami|who am i\??)$/,
  },
  exportData: {
    example: 'export data for adelev@contoso.com',
    title: 'export data for',
    description:
      'Start a data-export request for a person: a name, sign-in name, email address or @mention. "export data" alone asks whom.',
    pattern: /^(?:(?:gdpr|ccpa|dsr|data) )?export\b/,
  },
  status: {
    example: 'status DSR-2026-0042',
    title: 'status',
    description:
      'Admins: show a request (its state, due date and what happened) by id, or the open requests for a name or sign-in.',
    pattern: /^(?:status|show|find)\b|^dsr-\d{4}-\d{4,}$/,
  },
  audit: {
    example: 'audit DSR-2026-0042',
    title: 'audit',
    description:
      "Admins: show a request's full audit trail, whether it is intact, and export it as JSON Lines or CSV with a one-time download link.",
    pattern: /^audit\b/,
  },
  report: {
    example: 'report 2026',
    title: 'report',
    description:
      'Admins, in a 1:1 chat: the figures for a year or a range (received, complied with, denied, closed, days to respond, late) and a CSV with a one-time download link.',
    pattern: /^(?:report|metrics)\b/,
  },
  hold: {
    example: 'hold DSR-2026-0042 complaint to the regulator',
    title: 'hold',
    description:
      'Admins: keep a request and its export past their retention, with a reason. "release DSR-2026-0042" ends the hold.',
    pattern: /^(?:hold|release)\b/,
  },
  myRequests: {
    example: 'my requests',
    title: 'my requests',
    description: 'Admins: list the requests you asked for, newest first.',
    pattern: /^(?:list )?my (?:requests|dsrs?|exports)$/,
  },
  openRequests: {
    example: 'open requests',
    title: 'open requests',
    description: 'Admins: list every open request, overdue first, then by due date.',
    pattern: /^(?:open requests|list|list (?:open )?requests|requests|overdue(?: requests)?)$/,
  },
  approvalsChannel: {
    example: 'use this channel for approvals',
    title: 'use this channel for approvals',
    description: 'Admins, in a channel (with an @mention of me): post approval cards in this channel.',
    pattern: /^(?:please )?use this channel for approvals/,
  },
} as const satisfies Record<string, { example: string; title: string; description: string; pattern: RegExp }>;

export type CommandName = keyof typeof COMMANDS;

export const COMMAND_LIST = Object.values(COMMANDS).map(({ example, description }) => ({
  example,
  description,
}));

/** The example of the command `text` (already corrected for typos) matches, to suggest it; undefined otherwise. */
export function closestCommand(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  const hit = Object.values(COMMANDS).find((c) => c.pattern.test(t));
  return hit?.example;
}
