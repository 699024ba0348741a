/**
 * The commands the bot understands: one table shared by the router, the help card and (later) the app
 * manifest's command lists. Patterns see the text with the bot's @mention removed, trimmed and lower-cased.
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
} as const satisfies Record<string, { example: string; title: string; description: string; pattern: RegExp }>;

export type CommandName = keyof typeof COMMANDS;

export const COMMAND_LIST = Object.values(COMMANDS).map(({ example, description }) => ({
  example,
  description,
}));
