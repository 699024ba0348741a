import type { Regime } from './export-request';

/** Who the requester named: a Teams @mention (by its position among the message's mentions) or typed text. */
export type SubjectRef =
  | { readonly kind: 'mention'; readonly mentionText: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'none' };

export type Intent =
  | { readonly kind: 'export'; readonly subject: SubjectRef; readonly regime: Regime | undefined }
  | { readonly kind: 'setApprovalsChannel' };

const norm = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The subject part of a phrase: an `<at>…</at>` mention, or text without quotes and trailing punctuation. */
function subjectOf(raw: string | undefined): SubjectRef {
  const text = norm(raw ?? '')
    .replace(/^["'“”‘’]+|["'“”‘’]+$/g, '')
    .replace(/[.!?]+$/, '')
    .trim();
  if (text === '') return { kind: 'none' };
  const mention = /^<at>(.*?)<\/at>$/i.exec(text);
  if (mention) return { kind: 'mention', mentionText: `<at>${mention[1]}</at>` };
  const stripped = text.replace(/^@/, '').trim();
  return stripped === '' ? { kind: 'none' } : { kind: 'text', text: stripped };
}

function regimeOf(word: string | undefined): Regime | undefined {
  if (!word) return undefined;
  return word.toLowerCase() === 'gdpr' ? 'GDPR' : word.toLowerCase() === 'ccpa' ? 'CCPA' : undefined;
}

const PATTERNS: readonly RegExp[] = [
  // export data for X · export personal data of X · export the data of X · export all data about X · gdpr export data for X
  /^(?:(gdpr|ccpa) )?export (?:(?:the|all|the personal|all personal|all the) )?(?:personal )?(?:data|information|info)(?: (?:for|of|about|from|belonging to))?(?: (.+))?$/i,
  // export X's data · export X’s personal data · export James' data
  /^(?:(gdpr|ccpa) )?export (.+?)(?:'s|’s|'|’) (?:personal )?(?:data|information|info)$/i,
  // gdpr export X · ccpa export for X · data export for X · dsr export X
  /^(gdpr|ccpa|dsr|data) export(?: (?:for|of|about))?(?: (.+))?$/i,
];

/**
 * Reads what a requester typed (the bot's own mention already removed). Pure: the phrasing rules live here,
 * name resolution happens later through Graph. Undefined when the text is not a request the bot knows.
 */
export function parseIntent(text: string): Intent | undefined {
  const t = norm(text);
  if (/^(?:please )?use this channel for approvals[.!]?$/i.test(t)) return { kind: 'setApprovalsChannel' };
  for (const pattern of PATTERNS) {
    const m = pattern.exec(t);
    if (m) return { kind: 'export', subject: subjectOf(m[2]), regime: regimeOf(m[1]) };
  }
  return undefined;
}
