import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExportRequest } from '../../src/domain/export-request';
import type { DirectoryUser } from '../../src/domain/ports';
import {
  askSubjectCard,
  confirmRequestCard,
  duplicateCard,
  noticeCard,
  pickSubjectCard,
  requestCreatedCard,
} from '../../src/cards/intake-cards';
import { helpCard } from '../../src/cards/help-card';
import { whoAmICard } from '../../src/cards/whoami-card';
import { INPUT, VERBS } from '../../src/cards/verbs';
import { IDENTITY_METHODS } from '../../src/domain/export-request';
import { IDENTITY_NOT_YET, validateRequestForm } from '../../src/domain/policies';
import { cardProblems, cardText, MAX_CARD_BYTES } from '../support/cards';

const HOSTILE = [
  '${$root.draftId} ${if(true,"x","y")} ${subject.userPrincipalName}',
  '**bold** [click](https://evil.example) <b>html</b> <at>Megan</at> # heading',
  '🎉👩‍👩‍👧‍👦🏳️‍🌈 emoji and زبان and 中文',
  '🎉'.repeat(10_000),
  'x'.repeat(10_000),
  'tab\tnew\nline\u0000null\u0007bell\u202Eoverride',
];

const adele: DirectoryUser = {
  id: 'c0a70500-0000-4000-8000-000000000102',
  displayName: 'Adele Vance',
  userPrincipalName: 'adelev@contoso.com',
  mail: 'adelev@contoso.com',
  jobTitle: 'Retail Manager',
  department: 'Retail',
};

const request = (text: string): ExportRequest => ({
  id: 'DSR-2026-0042',
  status: 'pendingApproval',
  subject: { ...adele, displayName: text },
  requester: { aadObjectId: 'x', name: text },
  regime: 'GDPR',
  receivedDate: '2026-11-20',
  dueDate: '2026-12-20',
  reference: text,
  justification: text,
  createdAt: '2026-11-21T10:00:00Z',
  requestedIn: { id: 'a:1', type: 'personal' },
});

function everyCard(text: string) {
  const person = { ...adele, displayName: text, userPrincipalName: text, jobTitle: text, department: text };
  return {
    askSubject: askSubjectCard({ draftId: 'd1', error: text }),
    pickSubject: pickSubjectCard({
      draftId: 'd1',
      query: text,
      candidates: Array.from({ length: 8 }, () => person),
    }),
    confirm: confirmRequestCard({
      draftId: 'd1',
      subject: person,
      form: {
        regime: text,
        receivedDate: text,
        reference: text,
        justification: text,
        identityMethod: text,
        identityNote: text,
      },
      errors: {
        regime: text,
        receivedDate: text,
        reference: text,
        justification: text,
        identityMethod: text,
        identityNote: text,
      },
      regime: undefined,
      today: '2026-11-21',
      duplicateOf: 'DSR-2026-0001',
    }),
    duplicate: duplicateCard({
      draftId: 'd1',
      subject: person,
      open: [request(text), request(text)],
      privateChat: true,
    }),
    created: requestCreatedCard({ request: request(text), next: 'Next.', today: '2026-11-21' }),
    notice: noticeCard({ title: 'Cancelled', text }),
  };
}

describe('intake cards', () => {
  it('render valid Adaptive Cards 1.5 with no template expression left, for ordinary data', () => {
    const cards = {
      ...everyCard('Adele Vance'),
      help: helpCard({
        commands: [{ example: 'help', description: 'Show help.' }],
        allowedRoles: ['Global Administrator'],
      }),
      whoami: whoAmICard({
        displayName: 'A',
        userPrincipalName: 'a@b',
        tenantId: 't',
        heldRoles: [],
        allowedRoles: ['G'],
      }),
    };
    for (const [name, card] of Object.entries(cards)) {
      expect({ name, problems: cardProblems(card) }).toEqual({ name, problems: [] });
      expect({ name, leftover: JSON.stringify(card).includes('${') }).toEqual({ name, leftover: false });
    }
  });

  it.each(HOSTILE.map((t) => [t.slice(0, 40), t]))(
    'stay valid and under 28 KB with hostile text %j',
    (_label, text) => {
      for (const [name, card] of Object.entries(everyCard(text))) {
        expect({ name, problems: cardProblems(card) }).toEqual({ name, problems: [] });
        expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(MAX_CARD_BYTES);
      }
    },
  );

  it('show user text literally: template expressions are not evaluated and Markdown is not interpreted', () => {
    const text = HOSTILE[0]!;
    const card = pickSubjectCard({ draftId: 'secret-draft', query: text, candidates: [adele, adele] });
    const runs = JSON.stringify(card);
    expect(cardText(card)).toContain(text);
    expect(runs).not.toContain('secret-draft ');
    const markdown = confirmRequestCard({
      draftId: 'd',
      subject: { ...adele, displayName: HOSTILE[1]! },
      form: {},
      regime: 'GDPR',
      today: '2026-11-21',
      duplicateOf: undefined,
    });
    // Text from people lives in TextRuns, which Adaptive Cards never read as Markdown.
    const containing = JSON.stringify(markdown).match(/\{[^{}]*\*\*bold\*\*[^{}]*\}/g) ?? [];
    expect(containing.length).toBeGreaterThan(0);
    for (const element of containing) expect(JSON.parse(element)).toMatchObject({ type: 'TextRun' });
  });

  it('carry only a verb and an id (plus a choice index) in action data', () => {
    for (const card of Object.values(everyCard('Adele'))) {
      const json = JSON.stringify(card);
      for (const m of json.matchAll(/"data":(\{[^}]*\})/g)) {
        const keys = Object.keys(JSON.parse(m[1]!) as object).sort();
        expect(['choice', 'draftId', 'verb']).toEqual(expect.arrayContaining(keys));
      }
    }
  });

  it('use only the verbs of the shared verb table, and every verb is used', () => {
    const dir = path.resolve(__dirname, '../../src/cards');
    const used = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      for (const m of readFileSync(path.join(dir, file), 'utf8').matchAll(/"verb": "([^"]+)"/g))
        used.add(m[1]!);
    }
    expect([...used].sort()).toEqual([...VERBS].sort());
  });
});

describe('text a person or the directory supplied, where a card renders Markdown', () => {
  const rendered = (s: string) => s.replace(/\\([!-/:-@[-`{-~])/g, '$1');

  it('the whoami card shows a hostile display name and sign-in name literally (defect: raw in a TextBlock and a FactSet)', () => {
    const card = whoAmICard({
      displayName: '**ALL APPROVED**',
      userPrincipalName: '[click](https://evil.example)',
      tenantId: 't',
      heldRoles: [],
      allowedRoles: ['Global Administrator'],
    });
    expect(cardProblems(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).not.toContain('**ALL APPROVED**');
    expect(json).not.toContain('[click](');
    expect(rendered(cardText(card))).toContain('**ALL APPROVED**');
    expect(rendered(cardText(card))).toContain('[click](https://evil.example)');
  });

  it('cleans names in TextRuns: no direction override or line break survives (defect: only truncated)', () => {
    const person = { ...adele, displayName: 'Adele\u202E\n\nVance', jobTitle: 'Retail\u0007 Manager' };
    const card = pickSubjectCard({ draftId: 'd', query: 'adele\u2066', candidates: [person, adele] });
    const text = cardText(card);
    expect(text).toContain('Adele Vance');
    expect(text).toContain('Retail Manager');
    for (const c of ['\u202E', '\u2066', '\u0007']) expect(text).not.toContain(c);
  });
});

/** The card's inputs by id. */
function inputs(card: unknown): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string')
        found.set(o.id, o);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

describe('the identity check on the confirmation card', () => {
  const confirm = (form: Record<string, string> = {}, errors: Record<string, string> = {}) =>
    confirmRequestCard({
      draftId: 'd1',
      subject: adele,
      form,
      errors,
      regime: 'CCPA',
      today: '2026-11-21',
      duplicateOf: undefined,
    });
  const good = {
    regime: 'CCPA',
    receivedDate: '2026-11-20',
    reference: 'TICKET-1',
    justification: 'Subject access request by email.',
  };

  it('asks how the identity was verified, "Not verified yet" by default, then the methods in the domain\'s words', () => {
    const card = confirm();
    expect(cardProblems(card)).toEqual([]);
    const method = inputs(card).get(INPUT.identityMethod);
    expect(method).toMatchObject({
      type: 'Input.ChoiceSet',
      style: 'compact',
      label: "How was the subject's identity verified?",
      value: IDENTITY_NOT_YET,
    });
    const choices = method?.choices as { title: string; value: string }[];
    expect(choices.map((c) => c.value)).toEqual([IDENTITY_NOT_YET, ...IDENTITY_METHODS]);
    expect(choices.map((c) => c.title)).toEqual([
      'Not verified yet',
      'Their own work account (signed-in request)',
      'Matched against HR records',
      'A government-issued ID',
      'Another way',
    ]);
    expect(inputs(card).get(INPUT.identityNote)).toMatchObject({
      type: 'Input.Text',
      isMultiline: true,
      label: 'How, in a few words (e.g. request came from their own work account)',
      maxLength: 500,
    });
  });

  it('says that CCPA needs the check before disclosure and that an unverified request cannot be approved', () => {
    const text = cardText(confirm());
    expect(text).toMatch(/CCPA requires the identity to be verified before any data is disclosed/);
    expect(text).toMatch(/can be created, but not approved/);
  });

  it('names its inputs as the form validation reads them', () => {
    const ids = [...inputs(confirm()).keys()].sort();
    expect(ids).toEqual(
      ['regime', 'receivedDate', 'reference', 'justification', 'identityMethod', 'identityNote'].sort(),
    );
  });

  it.each([
    ['"other" without a note', { identityMethod: 'other', identityNote: '' }, 'identityNote'],
    ['an unknown method', { identityMethod: 'astrology', identityNote: 'Read the stars.' }, 'identityMethod'],
    ['a note too long', { identityMethod: 'hrRecords', identityNote: 'n'.repeat(501) }, 'identityNote'],
  ] as const)('shows %s again with the typed values and its error', (_label, typed, field) => {
    const result = validateRequestForm({ ...good, ...typed }, '2026-11-21');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const card = confirm(result.values, result.errors);
    expect(cardProblems(card)).toEqual([]);
    const shown = inputs(card);
    expect(shown.get(INPUT.identityMethod)?.value).toBe(typed.identityMethod);
    expect(shown.get(INPUT.identityNote)?.value).toBe(typed.identityNote);
    expect(shown.get('justification')?.value).toBe(good.justification);
    const error = result.errors[field]!;
    expect(error.length).toBeGreaterThan(0);
    const errorRuns = JSON.stringify(card).match(/\{[^{}]*"color":"Attention"[^{}]*\}/g) ?? [];
    expect(errorRuns.map((r) => (JSON.parse(r) as { text: string }).text)).toEqual([error]);
  });

  it('keeps a chosen method and its note when another field is wrong', () => {
    const typed = { identityMethod: 'governmentId', identityNote: 'Passport seen by\nthe DPO.' };
    const result = validateRequestForm({ ...good, ...typed, reference: '' }, '2026-11-21');
    if (result.ok) throw new Error('expected errors');
    const shown = inputs(confirm(result.values, result.errors));
    expect(shown.get(INPUT.identityMethod)?.value).toBe('governmentId');
    expect(shown.get(INPUT.identityNote)?.value).toBe('Passport seen by\nthe DPO.');
  });
});
