import type { DirectoryUser } from '../directory-user';
import { assertNever, type ExportRequest } from '../export-request';
import { GUID } from '../identity';
import { type IntakeDraft } from '../intake-draft';
import { LIMITS, type FormField } from '../policies';
import { cleanText } from '../text';
import type { IntakeEffect, IntakeStep, OpenRequestsPurpose } from './intake-event';
import type { IntakeReply, SubjectQuery } from './intake-reply';
import { ask, reply, save, UNKNOWN, MAX_QUERY } from './step';

/* Finding the data subject: by object id, sign-in name, mail or name; picking among matches; open requests. */

export function findSubject(draft: IntakeDraft, subject: SubjectQuery): IntakeStep {
  switch (subject.kind) {
    case 'none':
      return askSubject(draft);
    case 'objectId':
      return ask(draft, { type: 'findUser', idUpnOrMail: subject.aadObjectId, origin: 'mention' });
    case 'text':
      return findTyped(draft, subject.text);
    default:
      return assertNever(subject);
  }
}

/** Exact sign-in name or mail first, then a display-name search. Several matches are offered, never guessed. */
export function findTyped(draft: IntakeDraft, typed: string): IntakeStep {
  const query = cleanText(typed, MAX_QUERY, { ellipsis: '' });
  if (query === '') return askSubject(draft, 'Type a name, sign-in name or email address.');
  if (GUID.test(query) || query.includes('@')) {
    return ask(draft, { type: 'findUser', idUpnOrMail: query, origin: 'typed' });
  }
  return searchByName(draft, query);
}

export function searchByName(draft: IntakeDraft, text: string): IntakeStep {
  return ask(draft, { type: 'searchByName', text, limit: LIMITS.maxCandidates + 1 });
}

export function userFound(
  draft: IntakeDraft,
  user: DirectoryUser | undefined,
  origin: 'mention' | 'typed',
  idUpnOrMail: string,
): IntakeStep {
  if (user) return chosen(draft, user);
  if (origin === 'mention') {
    return askSubject(draft, 'The person you mentioned is not in the directory of this organisation.');
  }
  return searchByName(draft, idUpnOrMail);
}

export function usersSearched(draft: IntakeDraft, text: string, users: readonly DirectoryUser[]): IntakeStep {
  const [first] = users;
  if (!first) {
    return askSubject(
      draft,
      `Nobody in the directory matches "${text}". Try the sign-in name (like adelev@contoso.com), the email address, or the beginning of the first or last name.`,
    );
  }
  if (users.length === 1) return chosen(draft, first);
  if (users.length > LIMITS.maxCandidates) {
    return askSubject(
      draft,
      `More than ${LIMITS.maxCandidates} people match "${text}". Give more of the name, or the sign-in name.`,
    );
  }
  const next: IntakeDraft = { ...draft, stage: 'choosing', candidates: users };
  return reply(next, { kind: 'pick', draftId: draft.id, query: text, candidates: users }, [save(next)]);
}

export function askSubject(draft: IntakeDraft, error?: string): IntakeStep {
  const next: IntakeDraft = { ...draft, stage: 'choosing', candidates: [] };
  return reply(next, { kind: 'askSubject', draftId: draft.id, ...(error ? { error } : {}) }, [save(next)]);
}

/** The person is settled: the confirmation card, unless requests for them are open. */
export function chosen(draft: IntakeDraft, subject: DirectoryUser): IntakeStep {
  const next: IntakeDraft = {
    ...draft,
    stage: 'confirming',
    subject,
    candidates: [],
    duplicateOf: undefined,
  };
  return ask(next, { type: 'readOpenRequests', subjectId: subject.id, then: { step: 'confirm' } }, [
    save(next),
  ]);
}

export function confirmation(
  draft: IntakeDraft,
  subject: DirectoryUser,
  errors?: Partial<Record<FormField, string>>,
): IntakeReply {
  return {
    kind: 'confirm',
    draftId: draft.id,
    subject,
    form: draft.form,
    ...(errors ? { errors } : {}),
    regime: draft.regime,
    duplicateOf: draft.duplicateOf,
  };
}

export function openRequestsRead(
  draft: IntakeDraft,
  open: readonly ExportRequest[],
  purpose: OpenRequestsPurpose,
  now: Date,
): IntakeStep {
  const subject = draft.subject;
  if (!subject) return reply(draft, UNKNOWN);
  const duplicate: IntakeReply = { kind: 'duplicate', draftId: draft.id, subject, open };
  switch (purpose.step) {
    case 'confirm':
      return reply(draft, open.length > 0 ? duplicate : confirmation(draft, subject));
    case 'acknowledge': {
      const [first] = open;
      const next: IntakeDraft = { ...draft, duplicateOf: first?.id };
      const acknowledged: IntakeEffect[] = first
        ? [
            {
              type: 'audit',
              event: {
                at: now.toISOString(),
                action: 'duplicate.acknowledged',
                actor: draft.requester,
                outcome: 'ok',
                subjectId: subject.id,
                detail: `chose to create another request although ${open.map((r) => r.id).join(', ')} is open`,
              },
            },
          ]
        : [];
      return reply(next, confirmation(next, subject), [save(next), ...acknowledged]);
    }
    case 'submit':
      // Someone may have opened a request for the same person since the card was shown.
      if (open.length > 0 && !open.some((r) => r.id === draft.duplicateOf)) {
        const next: IntakeDraft = { ...draft, form: { ...purpose.form }, duplicateOf: undefined };
        return reply(next, duplicate, [save(next)]);
      }
      return ask(draft, { type: 'allocateRequestId', year: now.getUTCFullYear(), form: purpose.form });
    default:
      return assertNever(purpose);
  }
}
