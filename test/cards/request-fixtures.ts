import type { Actor, ExportRequest, ExportState } from '../../src/domain/export-request';

/** Requests in every state the request cards show, for the card tests. */

export const MEGAN: Actor = { aadObjectId: 'megan', name: 'Megan Bowen' };
export const ALEX: Actor = { aadObjectId: 'alex', name: 'Alex Wilber' };

export const pending: ExportRequest = {
  id: 'DSR-2026-0042',
  status: 'pendingApproval',
  subject: {
    id: 's',
    displayName: 'Adele Vance',
    userPrincipalName: 'adelev@contoso.com',
    mail: null,
    jobTitle: null,
    department: null,
  },
  requester: ALEX,
  regime: 'GDPR',
  receivedDate: '2026-11-20',
  dueDate: '2026-12-20',
  reference: 'SR-1',
  justification: 'Subject access request by mail.',
  createdAt: '2026-11-21T10:00:00Z',
  requestedIn: { id: 'a:1', type: 'personal' },
};

export const identity = {
  method: 'hrRecords',
  note: 'badge 42',
  by: MEGAN,
  at: '2026-11-21T11:00:00Z',
} as const;

export const exportState: ExportState = {
  attempt: 1,
  containerName: 'dsr-2026-0042',
  accountName: 'exports',
  throttled: 0,
  polls: 3,
  pollErrors: 0,
  completedAt: '2026-11-23T09:00:00Z',
  contents: {
    files: 12,
    bytes: 3_565_158,
    folders: [
      { name: 'Exchange', files: 7, bytes: 3_000_000 },
      { name: 'OneDrive', files: 5, bytes: 565_158 },
    ],
  },
};

const approved = { verdict: 'approved', by: MEGAN, at: '2026-11-22T09:00:00Z', firstAttempt: 1 } as const;

/** A request in `status`, with what that status implies (a decision, an export, a delivery, a closure). */
export function inStatus(status: ExportRequest['status'], extra: Partial<ExportRequest> = {}): ExportRequest {
  const base: ExportRequest = { ...pending, status, identity };
  const withExport = { ...base, decision: approved, export: exportState };
  switch (status) {
    case 'pendingApproval':
      return { ...base, ...extra };
    case 'approved':
      return {
        ...base,
        decision: approved,
        export: { ...exportState, completedAt: undefined, contents: undefined },
        ...extra,
      };
    case 'exporting':
    case 'outcomeUnknown':
      return {
        ...withExport,
        export: {
          ...exportState,
          completedAt: undefined,
          contents: undefined,
          progress: 40,
          operationStatus: 'running',
        },
        ...extra,
      };
    case 'completed':
      return { ...withExport, ...extra };
    case 'failed':
      return {
        ...withExport,
        export: {
          ...exportState,
          contents: undefined,
          failure: { code: 'InternalError', message: 'Graph failed.' },
        },
        ...extra,
      };
    case 'delivered':
      return {
        ...withExport,
        delivery: {
          date: '2026-11-25',
          method: 'secureLink',
          note: '',
          by: MEGAN,
          at: '2026-11-25T10:00:00Z',
          daysLate: 0,
        },
        ...extra,
      };
    case 'closed':
      return {
        ...base,
        closure: {
          reason: 'withdrawn',
          note: 'The subject withdrew by mail.',
          proposedBy: ALEX,
          proposedAt: '2026-11-22T09:00:00Z',
          confirmedBy: MEGAN,
          confirmedAt: '2026-11-22T10:00:00Z',
        },
        ...extra,
      };
    case 'rejected':
    case 'cancelled':
    case 'expired':
      return {
        ...base,
        decision: { verdict: status, by: MEGAN, at: '2026-11-22T09:00:00Z', reason: 'No.' },
        ...extra,
      };
  }
}

export { ALL_STATUSES as STATUSES } from '../support/requests';

export const PORTAL = { host: 'https://portal.azure.com', tenantId: 't' };

/** Hostile, long text: emoji sequences (4 bytes each in JSON), Markdown and a template expression. */
export const long = (n: number) => '👩‍👩‍👧‍👦 **[x](y)** ${id}'.repeat(n);

/** The bound the request cards stay under in the worst case: well under Teams' ~28 KB, with room to spare. */
export const WORST_CASE_BYTES = 24 * 1024;

/**
 * The largest request a card can meet in `status`: every text at its longest and hostile, two extensions, a
 * closure with a long note, a failure, 200 folders of contents, a delivery note; with or without an identity.
 */
export function worstCase(status: ExportRequest['status'], identified: boolean): ExportRequest {
  const by = { aadObjectId: 'x', name: long(20) };
  const at = '2026-11-22T09:00:00Z';
  const closure = { reason: 'manifestlyUnfounded', note: long(100), proposedBy: by, proposedAt: at } as const;
  const base = inStatus(status, {
    subject: { ...pending.subject, displayName: long(50), userPrincipalName: long(50) },
    requester: by,
    reference: long(20),
    justification: long(200),
    identity: identified ? { method: 'other', note: long(100), by, at } : undefined,
    extensions: [1, 2].map((i) => ({
      by,
      at,
      reason: long(50),
      fromDue: `2027-0${i}-20`,
      toDue: `2027-0${i + 1}-20`,
    })),
    closure: status === 'closed' ? { ...closure, confirmedBy: by, confirmedAt: at } : closure,
  });
  const folders = Array.from({ length: 200 }, () => ({ name: long(10), files: 1e4, bytes: 1e12 }));
  return {
    ...base,
    ...(base.export
      ? {
          export: {
            ...base.export,
            accountName: long(10),
            containerName: long(10),
            operationStatus: long(10),
            contents: { files: 1e6, bytes: 1e15, folders },
            failure: { code: long(10), message: long(100) },
          },
        }
      : {}),
    ...(base.decision ? { decision: { ...base.decision, by, reason: long(100) } } : {}),
    ...(base.delivery ? { delivery: { ...base.delivery, by, note: long(100), daysLate: 400 } } : {}),
  };
}

interface Action {
  readonly type: string;
  readonly title?: string;
  readonly verb?: string;
  readonly data?: Record<string, unknown>;
  readonly card?: {
    readonly body?: readonly Record<string, unknown>[];
    readonly actions?: readonly Action[];
  };
}

/** The card's top-level actions. */
export const actionsOf = (card: unknown): readonly Action[] => (card as { actions?: Action[] }).actions ?? [];

/** The titles of the card's top-level actions. */
export const titlesOf = (card: unknown): string[] => actionsOf(card).map((a) => a.title ?? '');

/** Every Action.Execute anywhere in the card (inside show-card forms too). */
export function executesOf(card: unknown): Action[] {
  const found: Action[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if ((node as Action).type === 'Action.Execute') found.push(node as Action);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** The form behind a show-card action, by its title. */
export function formOf(card: unknown, title: string): Action['card'] {
  const action = actionsOf(card).find((a) => a.title === title && a.type === 'Action.ShowCard');
  if (!action?.card) throw new Error(`no form "${title}" among ${titlesOf(card).join(', ')}`);
  return action.card;
}

/** What a client reads as Markdown: TextBlock texts and FactSet titles and values. */
export function markdownTexts(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'TextBlock' && typeof o.text === 'string') texts.push(o.text);
      if (o.type === 'FactSet' && Array.isArray(o.facts)) {
        for (const f of o.facts as { title?: unknown; value?: unknown }[]) {
          if (typeof f.title === 'string') texts.push(f.title);
          if (typeof f.value === 'string') texts.push(f.value);
        }
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return texts;
}

/** A color a card gives the element (TextBlock or TextRun) whose text starts with `start`. */
export function colorOf(card: unknown, start: string): string | undefined {
  let color: string | undefined;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (color === undefined && typeof o.text === 'string' && o.text.startsWith(start))
        color = typeof o.color === 'string' ? o.color : 'Default';
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return color;
}
