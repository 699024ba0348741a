import { readFileSync } from 'node:fs';
import path from 'node:path';
import { approvalCard } from '../../src/cards/approval-card';
import { lifecycleActions } from '../../src/cards/request-actions';
import { requestStatusCard } from '../../src/cards/request-status-card';
import { INPUT, VERB, VERBS } from '../../src/cards/verbs';
import type { ExportRequest } from '../../src/domain/export-request';
import { cardProblems } from '../support/cards';
import { ALEX, executesOf, formOf, inStatus, STATUSES, titlesOf } from './request-fixtures';

const TODAY = '2026-11-25';
const LIFECYCLE_VERBS = [
  VERB.recordIdentity,
  VERB.extend,
  VERB.deliver,
  VERB.proposeClosure,
  VERB.confirmClosure,
  VERB.withdrawClosure,
];
const titles = (r: ExportRequest, today = TODAY) => titlesOf({ actions: lifecycleActions(r, today) });
const card = (r: ExportRequest, today = TODAY) => requestStatusCard({ request: r, today, timeline: [] });
const proposed = {
  reason: 'withdrawn',
  note: 'Withdrawn by mail.',
  proposedBy: ALEX,
  proposedAt: '2026-11-22T09:00:00Z',
} as const;

describe('the lifecycle actions of a request card', () => {
  it('are offered only while the legal clock runs', () => {
    for (const status of STATUSES) {
      const running = !['delivered', 'closed', 'rejected', 'cancelled', 'expired'].includes(status);
      expect({ status, any: titles(inStatus(status)).length > 0 }).toEqual({ status, any: running });
    }
  });

  it('offer Record identity check only while the identity is missing', () => {
    expect(titles(inStatus('exporting', { identity: undefined }))).toContain('Record identity check');
    expect(titles(inStatus('exporting'))).not.toContain('Record identity check');
  });

  it('offer Record delivery only once the export completed', () => {
    for (const status of STATUSES)
      expect({ status, offered: titles(inStatus(status)).includes('Record delivery') }).toEqual({
        status,
        offered: status === 'completed',
      });
  });

  it('offer Close without export except while an export is submitted or running, or a closure is proposed', () => {
    for (const status of ['pendingApproval', 'outcomeUnknown', 'completed', 'failed'] as const)
      expect(titles(inStatus(status))).toContain('Close without export');
    for (const status of ['approved', 'exporting'] as const)
      expect(titles(inStatus(status))).not.toContain('Close without export');
    expect(titles(inStatus('completed', { closure: proposed }))).not.toContain('Close without export');
  });

  it('offer Confirm closure and Keep open while a closure is proposed', () => {
    expect(titles(inStatus('failed', { closure: proposed }))).toEqual(
      expect.arrayContaining(['Confirm closure', 'Keep open']),
    );
    expect(titles(inStatus('failed'))).not.toContain('Confirm closure');
  });

  it('offer a GDPR extension by one or two months, up to two in all, before the original due date', () => {
    const form = formOf(card(inStatus('exporting')), 'Extend the due date');
    const months = form?.body?.find((e) => e.id === INPUT.extendMonths) as { choices: unknown[] };
    expect(months.choices).toEqual([
      { title: '1 month, to 2027-01-20', value: '1' },
      { title: '2 months, to 2027-02-20', value: '2' },
    ]);
    const once = inStatus('exporting', {
      dueDate: '2027-01-20',
      extensions: [
        { by: ALEX, at: '2026-11-24T09:00:00Z', reason: 'Many', fromDue: '2026-12-20', toDue: '2027-01-20' },
      ],
    });
    const left = formOf(card(once), 'Extend the due date')?.body?.find((e) => e.id === INPUT.extendMonths);
    expect((left as { choices: unknown[] }).choices).toEqual([
      { title: '1 month, to 2027-02-20', value: '1' },
    ]);
    expect(titles({ ...once, dueDate: '2027-02-20' })).not.toContain('Extend the due date');
    expect(titles(inStatus('exporting'), '2026-12-21')).not.toContain('Extend the due date');
  });

  it('offer a CCPA extension once, naming the new due date and when the subject must be told', () => {
    const ccpa = inStatus('exporting', { regime: 'CCPA', dueDate: '2027-01-04' });
    const form = formOf(card(ccpa), 'Extend the due date');
    const text = JSON.stringify(form);
    expect(text).toContain('The new due date will be 2027-02-18.');
    expect(text).toContain('Tell the data subject of the extension and its reason by 2027-01-04.');
    expect(text).not.toContain(INPUT.extendMonths);
  });

  it('default the delivery date to today, between the received date and today', () => {
    const date = formOf(card(inStatus('completed')), 'Record delivery')?.body?.find(
      (e) => e.id === INPUT.deliveryDate,
    );
    expect(date).toMatchObject({
      type: 'Input.Date',
      value: TODAY,
      min: '2026-11-20',
      max: TODAY,
      isRequired: true,
    });
  });

  it('submit each form with its verb of VERB and only the request id as data (fallback too); Confirm and Keep open also name the proposal shown', () => {
    const r = inStatus('completed', { identity: undefined });
    const executes = [
      ...executesOf(card(r)),
      ...executesOf(card(inStatus('completed', { closure: proposed }))),
    ];
    expect([...new Set(executes.map((e) => e.verb))].sort()).toEqual([...LIFECYCLE_VERBS].sort());
    for (const e of executes) {
      const data =
        e.verb === VERB.confirmClosure || e.verb === VERB.withdrawClosure
          ? { requestId: 'DSR-2026-0042', proposedAt: proposed.proposedAt }
          : { requestId: 'DSR-2026-0042' };
      expect(e.data).toEqual(data);
      expect((e as { fallback?: unknown }).fallback).toEqual({
        type: 'Action.Submit',
        title: e.title,
        data: { verb: e.verb, ...data },
      });
    }
  });

  it('name their inputs by INPUT, and use only verbs of VERB in their template', () => {
    const template = readFileSync(path.resolve(__dirname, '../../src/cards/request-actions.json'), 'utf8');
    const ids = [...template.matchAll(/"id": "([^"]+)"/g)].map((m) => m[1]);
    expect(ids.sort()).toEqual(Object.values(INPUT).sort());
    const verbs = [...template.matchAll(/"verb": "([^"]+)"/g)].map((m) => m[1]!);
    for (const verb of verbs) expect(VERBS).toContain(verb);
    expect([...new Set(verbs)].sort()).toEqual([...LIFECYCLE_VERBS].sort());
  });

  it('are the same on the approval card and the status card, and valid Adaptive Cards 1.5', () => {
    for (const status of STATUSES) {
      for (const r of [inStatus(status), inStatus(status, { identity: undefined, closure: proposed })]) {
        const actions = lifecycleActions(r, TODAY);
        const approval = approvalCard({ request: r, view: 'viewer', today: TODAY, refreshUserIds: [] });
        const titlesOnCard = titlesOf(approval).filter((t) => titlesOf({ actions }).includes(t));
        expect(titlesOnCard).toEqual(titlesOf({ actions }));
        expect(titlesOf(card(r))).toEqual(titlesOf({ actions }));
        expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [], actions })).toEqual([]);
      }
    }
  });
});
