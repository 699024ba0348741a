import askSubjectTemplate from './ask-subject-card.json';
import confirmTemplate from './confirm-request-card.json';
import duplicateTemplate from './duplicate-card.json';
import noticeTemplate from './notice-card.json';
import pickTemplate from './pick-subject-card.json';
import createdTemplate from './request-created-card.json';
import type { ExportRequest, Regime } from '../domain/export-request';
import { LIMITS, type FormField } from '../domain/policies';
import { cleanText, escapeMarkdown } from '../domain/text';
import type { DirectoryUser } from '../domain/ports';
import { renderCard, type AdaptiveCard } from './render';

/**
 * The intake cards. Every piece of text that came from a person or the directory is cleaned (no control or
 * direction-override characters, one line where one is expected) and bounded, then bound as data into a
 * TextRun, which renders no Markdown, so it can neither break a card nor be read as a template. The few
 * values shown in a TextBlock (which renders Markdown) are escaped with `escapeMarkdown`.
 */

/** One line of text from a person or the directory, for a TextRun. */
const line = (text: string | null | undefined, max: number) => cleanText(text ?? '', max);
/** Several lines (a justification, a message), for a TextRun. */
const lines = (text: string | null | undefined, max: number) =>
  cleanText(text ?? '', max, { multiline: true });

const person = (u: DirectoryUser) => ({
  displayName: line(u.displayName, 120),
  userPrincipalName: line(u.userPrincipalName, 120),
  details: line([u.jobTitle, u.department].filter(Boolean).join(' · '), 120) || '—',
});

export function askSubjectCard(model: { draftId: string; error?: string }): AdaptiveCard {
  return renderCard(askSubjectTemplate, {
    draftId: model.draftId,
    hasError: model.error !== undefined,
    error: lines(model.error, 500),
  });
}

export function pickSubjectCard(model: {
  draftId: string;
  query: string;
  candidates: readonly DirectoryUser[];
}): AdaptiveCard {
  return renderCard(pickTemplate, {
    draftId: model.draftId,
    query: line(model.query, 120),
    candidates: model.candidates.map((c, choice) => ({ ...person(c), choice })),
  });
}

export interface ConfirmCardModel {
  readonly draftId: string;
  readonly subject: DirectoryUser;
  readonly form: Partial<Record<FormField, string>>;
  readonly errors?: Partial<Record<FormField, string>>;
  readonly regime: Regime | undefined;
  readonly today: string;
  /** The open request this one would stand beside, when the requester chose to go on. */
  readonly duplicateOf: string | undefined;
}

export function confirmRequestCard(model: ConfirmCardModel): AdaptiveCard {
  const errors = model.errors ?? {};
  return renderCard(confirmTemplate, {
    draftId: model.draftId,
    subject: person(model.subject),
    hasDuplicate: model.duplicateOf !== undefined,
    duplicateNote: `You are creating a second request although ${escapeMarkdown(line(model.duplicateOf, 64))} is still open for this person.`,
    form: {
      regime: line(model.form.regime ?? model.regime ?? 'GDPR', 16),
      receivedDate: line(model.form.receivedDate ?? model.today, 16),
      // What was typed comes back so nothing is lost, cut to a bound so the card stays small. Input values
      // render no Markdown: cleaned, not escaped.
      reference: line(model.form.reference, LIMITS.reference + 16),
      justification: lines(model.form.justification, LIMITS.justification + 100),
    },
    errors: {
      regime: line(errors.regime, 300),
      receivedDate: line(errors.receivedDate, 300),
      reference: line(errors.reference, 300),
      justification: line(errors.justification, 300),
    },
    limits: { reference: LIMITS.reference, justification: LIMITS.justification },
    maxDate: model.today,
  });
}

/**
 * "There is already an open request for this person". The open requests (id, requester, regime, due date,
 * status) are listed only in a private chat: in a channel or group chat everyone would see them.
 */
export function duplicateCard(model: {
  draftId: string;
  subject: DirectoryUser;
  open: readonly ExportRequest[];
  privateChat: boolean;
}): AdaptiveCard {
  return renderCard(duplicateTemplate, {
    draftId: model.draftId,
    subject: person(model.subject),
    detailsHidden: !model.privateChat,
    open: (model.privateChat ? model.open.slice(0, 5) : []).map((r) => ({
      id: r.id,
      requester: line(r.requester.name, 80),
      summary: ` · ${r.regime}, due ${r.dueDate}, ${OPEN_STATUS_WORDS[r.status] ?? r.status}`,
    })),
  });
}

/** How an open request is described to someone about to ask for the same person again. */
const OPEN_STATUS_WORDS: Partial<Record<ExportRequest['status'], string>> = {
  pendingApproval: 'waiting for approval',
  approved: 'approved, being submitted',
  exporting: 'export running',
  outcomeUnknown: 'export submitted, outcome being checked',
};

export function requestCreatedCard(model: {
  request: ExportRequest;
  next: string;
  today: string;
}): AdaptiveCard {
  const r = model.request;
  const daysLeft = Math.round((Date.parse(r.dueDate) - Date.parse(model.today)) / 86400000);
  return renderCard(createdTemplate, {
    title: `Request ${escapeMarkdown(r.id)} is waiting for approval`,
    id: escapeMarkdown(r.id),
    subject: line(`${r.subject.displayName} (${r.subject.userPrincipalName})`, 200),
    regime: r.regime,
    receivedDate: r.receivedDate,
    dueText: `${r.dueDate} (${daysLeft} day${daysLeft === 1 ? '' : 's'} left)`,
    reference: line(r.reference, LIMITS.reference),
    next: model.next,
  });
}

/** A short notice. `title` is the bot's own words (a TextBlock, Markdown); `text` may quote people. */
export function noticeCard(model: {
  title: string;
  text: string;
  tone?: 'default' | 'good' | 'attention';
}): AdaptiveCard {
  return renderCard(noticeTemplate, {
    title: model.title,
    text: lines(model.text, 2000),
    color: model.tone === 'good' ? 'Good' : model.tone === 'attention' ? 'Attention' : 'Default',
  });
}
