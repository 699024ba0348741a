import { person } from '../support/activities';
import { startExportHarness, type ExportHarness } from '../support/export-harness';
import { APPROVALS_CHANNEL, approvalClick, walkIntake } from '../support/flows';
import { WORKFLOW_ACTIONS, WORKFLOW_EVENT } from '../../src/usecases/workflow-log';
import { isoDate } from '../../src/domain/policies';
import type { ExportRequest } from '../../src/domain/export-request';

/**
 * Issue 15, "Done when": a log test reads a whole run's logs (intake, approval, submission, polling to
 * completion, notices, a deadline reminder, delivery) on real parts (sandbox, Azurite, local connector): every
 * workflow event is present once, with its request id and elapsed time, and no personal data appears anywhere.
 */
jest.setTimeout(120_000);

const alex = person('Alex Wilber'); // the requester
const megan = person('Megan Bowen'); // the approver
const subject = person('Adele Vance');
const REFERENCE = 'SR-LOG-7731';
const JUSTIFICATION = 'Former employee asked by registered letter';
const DELIVERY_NOTE = 'Handed over to Adele on a USB stick';

interface WorkflowLine {
  readonly event: string;
  readonly requestId?: string;
  readonly elapsedMs?: number;
  readonly outcome: string;
  readonly operationId?: string;
  readonly status?: string;
  readonly notice?: string;
}

/** The harness records `${level} ${message} ${fields as JSON}`. */
function workflowLines(lines: readonly string[]): WorkflowLine[] {
  const prefix = `info ${WORKFLOW_EVENT} `;
  return lines
    .filter((l) => l.startsWith(prefix))
    .map((l) => JSON.parse(l.slice(prefix.length)) as WorkflowLine);
}

let x: ExportHarness;
let done: ExportRequest;

beforeAll(async () => {
  x = await startExportHarness();
  const { id } = await walkIntake(x.h, subject, alex, {
    reference: REFERENCE,
    justification: JUSTIFICATION,
    receivedDate: isoDate(x.clock.now()),
  });
  await x.h.drain();
  const { status } = await x.h.invoke(x.click('approval.approve', await x.stored(id)));
  expect(status).toBe(200);
  await x.h.drain();
  const completed = await x.follow(id, (r) => r.status === 'completed');
  // The first deadline reminder (a week before the due date), then delivery to the subject.
  x.clock.set(new Date(completed.deadline!.at));
  await x.h.drain();
  const { status: delivered } = await x.h.invoke(
    approvalClick(
      x.h,
      'request.deliver',
      {
        requestId: id,
        deliveryDate: isoDate(x.clock.now()),
        deliveryMethod: 'secureLink',
        deliveryNote: DELIVERY_NOTE,
      },
      megan,
      `${APPROVALS_CHANNEL};messageid=${completed.approvalCard!.activityId}`,
    ),
  );
  expect(delivered).toBe(200);
  done = await x.stored(id);
});

afterAll(async () => {
  await x?.close();
});

describe('the workflow logs of a whole run (issue 15: the terminal showed nothing of the workflow)', () => {
  it('has one line per workflow step in the audit trail, each with the request id and the elapsed time', async () => {
    const trail = (await x.audit(done.id)).filter((e) => WORKFLOW_ACTIONS.has(e.action));
    const lines = workflowLines(x.logLines).filter((l) => l.requestId === done.id);
    expect(lines.map((l) => l.event).sort()).toEqual(trail.map((e) => e.action).sort());
    for (const l of lines) {
      expect(l.requestId).toBe(done.id);
      expect(typeof l.elapsedMs).toBe('number');
      expect(l.elapsedMs).toBeGreaterThanOrEqual(0);
    }
    // No line says the same thing twice.
    const said = lines.map((l) => JSON.stringify([l.event, l.operationId, l.status, l.notice]));
    expect(new Set(said).size).toBe(said.length);
  });

  it('says each step of the run: created, approved, submitted with its operation, status, completed, notices, reminder, delivered', () => {
    const lines = workflowLines(x.logLines).filter((l) => l.requestId === done.id);
    const once = (event: string) => {
      const found = lines.filter((l) => l.event === event);
      expect({ event, count: found.length }).toEqual({ event, count: 1 });
      return found[0]!;
    };
    expect(once('request.created').elapsedMs).toBe(0);
    once('request.approved');
    once('card.posted');
    const operation = x.operationsFor(done.export!.containerName)[0];
    expect(once('export.submitted').operationId).toBe(operation?.id);
    expect(lines.filter((l) => l.event === 'export.statusChanged').map((l) => l.status)).toContain('running');
    once('export.completed');
    once('deadline.reminded');
    once('request.delivered');
    const notices = lines.filter((l) => l.event === 'notification.sent').map((l) => l.notice);
    expect(notices).toEqual(expect.arrayContaining(['thread-completed-1', 'requester-completed-1']));
    expect(once('request.delivered').elapsedMs).toBeGreaterThan(once('export.completed').elapsedMs!);
  });

  it('holds no personal data and no SAS in any log line of the run', () => {
    expect(x.logLines.length).toBeGreaterThan(0);
    const personal = [
      subject.displayName,
      subject.userPrincipalName,
      subject.mail,
      subject.givenName,
      alex.displayName,
      megan.displayName,
      REFERENCE,
      JUSTIFICATION,
      DELIVERY_NOTE,
    ];
    for (const line of x.logLines) {
      for (const p of personal) expect({ line, leaks: line.includes(p) }).toEqual({ line, leaks: false });
      expect(line).not.toMatch(/[?&]sig=/i);
    }
  });
});
