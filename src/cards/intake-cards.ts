import askSubjectTemplate from './ask-subject-card.json';
import confirmTemplate from './confirm-request-card.json';
import duplicateTemplate from './duplicate-card.json';
import noticeTemplate from './notice-card.json';
import pickTemplate from './pick-subject-card.json';
import createdTemplate from './request-created-card.json';
import { IDENTITY_METHODS, type ExportRequest, type Regime } from '../domain/export-request';
import { IDENTITY_NOT_YET, LIMITS, type FormField } from '../domain/policies';
import { cleanText, escapeMarkdown } from '../domain/text';
import type { DirectoryUser } from '../domain/ports';
import { IDENTITY_WORDS } from '../domain/workflow/lifecycle';
import { renderCard, type AdaptiveCard } from './render';
import { STATUS_WORDS } from './request-list-card';

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

/** The identity choices: "not verified yet" first (the default), then each method in the domain's words. */
const IDENTITY_CHOICES = [
  { title: 'Not verified yet', value: IDENTITY_NOT_YET },
  ...IDENTITY_METHODS.map((m) => ({
    title: IDENTITY_WORDS[m].charAt(0).toUpperCase() + IDENTITY_WORDS[m].slice(1),
    value: m,
  })),
];

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
      identityMethod: line(model.form.identityMethod, 32) || IDENTITY_NOT_YET,
      identityNote: lines(model.form.identityNote, LIMITS.identityNote + 100),
    },
    errors: {
      regime: line(errors.regime, 300),
      receivedDate: line(errors.receivedDate, 300),
      reference: line(errors.reference, 300),
      justification: line(errors.justification, 300),
      identityMethod: line(errors.identityMethod, 300),
      identityNote: line(errors.identityNote, 300),
    },
    identityChoices: IDENTITY_CHOICES,
    limits: {
      reference: LIMITS.reference,
      justification: LIMITS.justification,
      identityNote: LIMITS.identityNote,
    },
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
      summary: ` · ${r.regime}, due ${r.dueDate}, ${STATUS_WORDS[r.status]}`,
    })),
  });
}

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
