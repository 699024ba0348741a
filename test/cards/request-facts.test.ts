import { approvalCard, type PortalLinks } from '../../src/cards/approval-card';
import type { AdaptiveCard } from '../../src/cards/render';
import { requestStatusCard } from '../../src/cards/request-status-card';
import { withParts } from '../../src/cards/template-parts';
import type { ExportRequest } from '../../src/domain/export-request';
import { cardText } from '../support/cards';
import { ALEX, colorOf, exportState, inStatus, MEGAN, PORTAL } from './request-fixtures';

/** The facts both request cards show: each sentence below holds for the approval card and the status card. */
const CARDS: readonly [string, (r: ExportRequest, today: string) => AdaptiveCard][] = [
  [
    'approval card',
    (r, today) => approvalCard({ request: r, view: 'viewer', today, refreshUserIds: [], portal: PORTAL }),
  ],
  ['status card', (r, today) => requestStatusCard({ request: r, today, timeline: [], portal: PORTAL })],
];

describe.each(CARDS)('the %s', (_name, render) => {
  const textOf = (r: ExportRequest, today = '2026-11-21') => cardText(render(r, today));

  it.each([
    ['2026-12-21', 'Attention', '2026-12-20 (1 day overdue)'],
    ['2026-12-20', 'Warning', '2026-12-20 (due today)'],
    ['2026-12-13', 'Warning', '2026-12-20 (7 days left)'],
    ['2026-12-12', 'Default', '2026-12-20 (8 days left)'],
  ])('colours the due date by urgency: on %s it is %s', (today, color, text) => {
    const card = render(inStatus('completed'), today);
    expect(cardText(card)).toContain(text);
    expect(colorOf(card, '2026-12-20 (')).toBe(color);
  });

  it('says who holds a request from deletion and why, in warning colour', () => {
    const r = inStatus('delivered', {
      retention: { hold: { by: MEGAN, at: '2027-01-02T09:00:00Z', reason: 'Complaint to the regulator' } },
    });
    const card = render(r, '2027-01-03');
    expect(cardText(card)).toMatch(/On hold since .* by Megan Bowen: Complaint to the regulator/);
    expect(colorOf(card, 'On hold since')).toBe('Warning');
  });

  it('says when the exported data was deleted, and no longer links to its container', () => {
    const r = inStatus('delivered', {
      retention: { deleted: [{ container: exportState.containerName, at: '2027-01-04T06:00:00Z' }] },
    });
    const text = textOf(r, '2027-01-05');
    expect(text).toMatch(/The exported data was deleted on .*2027-01-04/);
    expect(text).not.toMatch(/Open the container/);
    expect(textOf(inStatus('delivered'), '2027-01-05')).toMatch(/Open the container/);
  });

  it('says from when, by whom and why the due date was extended', () => {
    const r = inStatus('exporting', {
      dueDate: '2027-01-20',
      extensions: [
        {
          by: MEGAN,
          at: '2026-11-30T09:00:00Z',
          reason: 'Many mailboxes',
          fromDue: '2026-12-20',
          toDue: '2027-01-20',
        },
      ],
    });
    expect(textOf(r, '2026-12-01')).toContain(
      '2027-01-20 (50 days left)\n, extended from 2026-12-20 by Megan Bowen (Many mailboxes)',
    );
  });

  it('says how, by whom and with what note the identity was verified', () => {
    expect(textOf(inStatus('pendingApproval'))).toContain(
      'Identity verified: \nmatched against HR records (badge 42) by Megan Bowen on 2026-11-21 11:00 UTC',
    );
  });

  it('asks for the identity check once approved without one, in Warning', () => {
    const card = render(inStatus('completed', { identity: undefined }), '2026-11-21');
    expect(cardText(card)).toContain(
      "Identity check not recorded: \nrecord how the subject's identity was verified before the data is delivered.",
    );
    expect(colorOf(card, 'Identity check not recorded')).toBe('Warning');
  });

  it('says whether the data was delivered on time or how many days late, and stops counting days', () => {
    const onTime = render(inStatus('delivered'), '2027-03-01');
    expect(cardText(onTime)).toContain('Delivered to the data subject on 2026-11-25 (a secure link)');
    expect(cardText(onTime)).toContain('2026-12-20 (delivered on time)');
    expect(colorOf(onTime, '2026-12-20 (')).toBe('Good');
    const delivery = {
      ...inStatus('delivered').delivery!,
      date: '2026-12-23',
      daysLate: 3,
      note: 'Sent by Signal.',
    };
    const late = render(inStatus('delivered', { delivery }), '2027-03-01');
    expect(cardText(late)).toContain(
      'Delivered to the data subject on 2026-12-23 (a secure link), 3 days late',
    );
    expect(cardText(late)).toContain('2026-12-20 (delivered 3 days late)');
    expect(cardText(late)).toContain(
      'Delivery: \n2026-12-23 (a secure link), 3 days late; recorded by Megan Bowen',
    );
    expect(cardText(late)).toContain('Note: Sent by Signal.');
    expect(colorOf(late, '2026-12-20 (')).toBe('Attention');
  });

  it('says why and by whom a request was closed without export, and offers nothing more', () => {
    const card = render(inStatus('closed'), '2026-11-21');
    expect(cardText(card)).toContain(
      'Closed without export: withdrawn by the data subject, confirmed by Megan Bowen',
    );
    expect(cardText(card)).toContain(
      'Withdrawn by the data subject; proposed by Alex Wilber on 2026-11-22 09:00 UTC, confirmed by Megan Bowen on 2026-11-22 10:00 UTC. Note: The subject withdrew by mail.',
    );
    expect(JSON.stringify(card)).not.toContain('Action.');
  });

  it('shows a proposed closure with its reason and note, and the way to confirm it or keep the request open', () => {
    const closure = {
      reason: 'excessive',
      note: 'Third request this month.',
      proposedBy: ALEX,
      proposedAt: '2026-11-22T09:00:00Z',
    } as const;
    const text = textOf(inStatus('failed', { closure }));
    expect(text).toContain(
      'Closure without export proposed\nExcessive; proposed by Alex Wilber on 2026-11-22 09:00 UTC. Note: Third request this month.',
    );
    expect(text).toContain('Another admin can confirm the closure');
  });

  it('lists what the export holds once it completed: folders with file counts and sizes, and totals', () => {
    expect(textOf(inStatus('completed'))).toMatch(
      /Contents\nExchange\n7 files, 2\.9 MB\nOneDrive\n5 files, 552 KB\nIn all: 12 files, 3\.4 MB in 2 folders/,
    );
    const folders = Array.from({ length: 20 }, (_, i) => ({ name: `F${i}`, files: 2, bytes: 2 }));
    const capped = textOf(
      inStatus('completed', { export: { ...exportState, contents: { files: 40, bytes: 40, folders } } }),
    );
    expect(capped).toContain('F14');
    expect(capped).not.toContain('F15');
    expect(capped).toContain('In all: 40 files, 40 bytes in 20 folders (5 more folders not listed)');
    const empty = textOf(
      inStatus('completed', { export: { ...exportState, contents: { files: 0, bytes: 0, folders: [] } } }),
    );
    expect(empty).toContain('The container holds no files: check it before delivery.');
  });

  it('links to the container in the Azure portal once the data is there, never before', () => {
    const link = 'https://portal.azure.com/#@t/browse/Microsoft.Storage%2FStorageAccounts';
    expect(JSON.stringify(render(inStatus('completed'), '2026-11-21'))).toContain(link);
    expect(JSON.stringify(render(inStatus('delivered'), '2026-11-21'))).toContain(link);
    expect(JSON.stringify(render(inStatus('exporting'), '2026-11-21'))).not.toContain(link);
  });

  it("links to the sandbox console's view of the container locally, and to the portal when the account is known", () => {
    const local = { ...PORTAL, localConsoleUrl: 'http://localhost:56160' };
    const card = (portal: PortalLinks) =>
      JSON.stringify(
        approvalCard({
          request: inStatus('completed'),
          view: 'viewer',
          today: '2026-11-21',
          refreshUserIds: [],
          portal,
        }),
      );
    const container = inStatus('completed').export!.containerName;
    expect(card(local)).toContain(`"url":"http://localhost:56160/containers/${container}"`);
    expect(card(local)).toContain('"title":"Open the container in the sandbox console"');
    const account =
      '/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/dsrexports';
    const both = card({ ...local, storageAccountResourceId: account });
    expect(both).toContain(`"url":"https://portal.azure.com/#@t/resource${account}/containersList"`);
    expect(both).toContain('"title":"Open the container in the Azure portal"');
    expect(both).not.toContain('localhost');
  });
});

describe('template parts', () => {
  it('fail at once when a template names a part that does not exist', () => {
    expect(() => withParts({ body: [{ $include: 'nothing' }] }, {})).toThrow('unknown part "nothing"');
  });

  it('put the elements of a part where the template names it', () => {
    expect(withParts({ body: [1, { $include: 'two' }, 4] }, { two: [2, 3] })).toEqual({ body: [1, 2, 3, 4] });
  });
});
