import { randomUUID } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { BlobAuditFiles } from '../../../src/adapters/storage/audit-files';
import { TableDraftStore } from '../../../src/adapters/storage/draft-store';
import { TableRequestStore } from '../../../src/adapters/storage/request-store';
import { TableTombstones } from '../../../src/adapters/storage/tombstones';
import { TableAuditLog } from '../../../src/adapters/storage/audit-log';
import type { ExportRequest } from '../../../src/domain/export-request';
import { isoDate } from '../../../src/domain/policies';
import { outcomeOf } from '../../../src/domain/request-outcome';
import { addMonths } from '../../../src/domain/retention';
import { person, personalMessage } from '../../support/activities';
import { cardText } from '../../support/cards';
import { startExportHarness, type ExportHarness } from '../../support/export-harness';
import { APPROVALS_CHANNEL, approvalClick, walkIntake } from '../../support/flows';
import { testStorageConnectionString } from '../../support/sandbox';

/**
 * Issue 16, retention, on real parts (sandbox, Azurite, local connector) and a moved clock: a delivered export
 * is announced three days ahead and deleted after 30 days, a held one survives, a failed attempt's container
 * goes after 7 days, drafts after a day, and a finished record after 24 months leaving a tombstone; a deletion
 * interrupted by a crash is finished once, harmlessly.
 */
jest.setTimeout(180_000);

const megan = person('Megan Bowen');
const isaiah = person('Isaiah Langer');
const DAY = 24 * 3600_000;

let x: ExportHarness;
beforeAll(async () => {
  x = await startExportHarness();
});
afterAll(async () => {
  await x?.close();
});

const blobs = () => BlobServiceClient.fromConnectionString(testStorageConnectionString());
const containerExists = (name: string) => blobs().getContainerClient(name).exists();
const store = () => new TableRequestStore(testStorageConnectionString(), x.h.tables.requests);

/** A click on a request's card in the approvals channel. */
const onCard = (verb: string, r: ExportRequest, data: Record<string, unknown> = {}) =>
  x.h.invoke(
    approvalClick(
      x.h,
      verb,
      { requestId: r.id, ...data },
      megan,
      `${APPROVALS_CHANNEL};messageid=${r.approvalCard!.activityId}`,
    ),
  );

/** What the bot answers `text` in a new 1:1 chat of `who`. */
async function say(text: string, who: ReturnType<typeof person>): Promise<string> {
  const conversationId = `a:personal-${randomUUID()}`;
  await x.h.post(personalMessage(text, { serviceUrl: x.h.connector.serviceUrl, from: who, conversationId }));
  const [reply] = await x.h.connector.waitForSent(conversationId);
  return reply?.text ?? cardText(reply?.attachments?.[0]?.content);
}

/** A request received today on the bot's clock (which the tests move on), approved by Megan. */
async function approvedNow(): Promise<ExportRequest> {
  const { id } = await walkIntake(x.h, isaiah, person('Alex Wilber'), {
    reference: 'SR-16',
    justification: 'Subject access request by email.',
    receivedDate: isoDate(x.clock.now()),
  });
  await x.h.drain();
  const { status } = await x.h.invoke(x.click('approval.approve', await x.stored(id)));
  expect(status).toBe(200);
  await x.h.drain();
  return x.stored(id);
}

/** An export approved, completed and delivered today (on the bot's clock). */
async function deliveredToday(): Promise<ExportRequest> {
  const approved = await approvedNow();
  const done = await x.follow(approved.id, (r) => r.status === 'completed');
  await onCard('request.deliver', done, {
    deliveryDate: isoDate(x.clock.now()),
    deliveryMethod: 'secureLink',
    deliveryNote: 'Link sent',
  });
  await x.h.drain();
  const delivered = await x.stored(done.id);
  expect(delivered.status).toBe('delivered');
  return delivered;
}

/** Moves the clock to `day` (a time in it) and runs the day's sweep and its jobs. */
async function sweepOn(when: Date): Promise<void> {
  x.clock.set(when);
  const outcome = await x.h.app.retentionSweep();
  expect(outcome.kind).toBe('swept');
  await x.h.drain();
}

const at = (day: string, time = '06:00:00') => new Date(`${day}T${time}Z`);
const plusDays = (day: string, n: number) => isoDate(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY));

describe('retention of exports and records', () => {
  it('announces the deletion three days ahead, once, deletes the export 30 days after delivery, and keeps the record', async () => {
    const r = await deliveredToday();
    const container = r.export!.containerName;
    const deleteOn = plusDays(r.delivery!.date, 30);
    expect(await containerExists(container)).toBe(true);

    await sweepOn(at(plusDays(deleteOn, -4)));
    expect(x.threadTexts(r).filter((t) => /will be deleted/.test(t))).toHaveLength(0);
    await sweepOn(at(plusDays(deleteOn, -3)));
    // Another instance's round the same day does nothing more.
    expect(await x.h.app.retentionSweep()).toEqual({ kind: 'elsewhere' });
    await sweepOn(at(plusDays(deleteOn, -2)));
    const told = x.threadTexts(r).filter((t) => /will be deleted/.test(t));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(deleteOn);
    expect(told[0]).toContain(`hold ${r.id}`);
    expect(await containerExists(container)).toBe(true);

    await sweepOn(at(deleteOn));
    expect(await containerExists(container)).toBe(false);
    const after = await x.stored(r.id);
    expect(after.status).toBe('delivered');
    expect(after.retention?.deleted?.map((d) => d.container)).toEqual([container]);
    expect(after.retention?.deleting).toBeUndefined();
    const actions = (await x.audit(r.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'retention.noticed')).toHaveLength(1);
    expect(actions.filter((a) => a === 'retention.deleted')).toHaveLength(1);
    expect(x.threadTexts(r).filter((t) => /was deleted/.test(t))).toHaveLength(1);
  });

  it('never deletes a held export, and deletes it once the hold is released', async () => {
    const r = await deliveredToday();
    const container = r.export!.containerName;
    expect(await say(`hold ${r.id}`, megan)).toMatch(/Give the reason/);
    expect(await say(`hold ${r.id} complaint to the regulator`, isaiah)).toMatch(/admins/i);
    expect(await say(`hold ${r.id} complaint to the regulator`, megan)).toMatch(/is on hold/);
    expect((await x.stored(r.id)).retention?.hold).toMatchObject({
      by: { name: 'Megan Bowen' },
      reason: 'complaint to the regulator',
    });
    expect(await say(`hold ${r.id} again`, megan)).toMatch(/on hold already/);
    await x.h.drain();
    expect(x.threadTexts(r).filter((t) => /put .* on hold/.test(t))).toHaveLength(1);

    const deleteOn = plusDays(r.delivery!.date, 30);
    await sweepOn(at(plusDays(deleteOn, 400)));
    expect(await containerExists(container)).toBe(true);
    expect(x.threadTexts(r).filter((t) => /will be deleted|was deleted/.test(t))).toHaveLength(0);
    expect((await x.audit(r.id)).map((e) => e.action)).not.toContain('retention.deleted');

    expect(await say(`release ${r.id}`, megan)).toMatch(/released/);
    expect(await say(`release ${r.id}`, megan)).toMatch(/released|not on hold/);
    // Released long after its day: told first, deleted three days later.
    await sweepOn(at(plusDays(deleteOn, 401)));
    expect(await containerExists(container)).toBe(true);
    expect(
      x.threadTexts(r).filter((t) => t.includes(`will be deleted on ${plusDays(deleteOn, 404)}`)),
    ).toHaveLength(1);
    await sweepOn(at(plusDays(deleteOn, 404)));
    expect(await containerExists(container)).toBe(false);
    const actions = (await x.audit(r.id)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['retention.held', 'retention.released', 'retention.deleted']),
    );
  });

  it('finishes a deletion a crash interrupted, records it once, and a repeat does no harm', async () => {
    const r = await deliveredToday();
    const container = r.export!.containerName;
    const deleteOn = plusDays(r.delivery!.date, 30);
    x.clock.set(at(deleteOn));
    // A run stored the deletion, deleted the container, and died before recording it.
    const stored = await store().getVersioned(r.id);
    await store().replace(
      {
        ...stored!.value,
        retention: { deleting: { containers: [container], at: x.clock.now().toISOString() } },
      },
      stored!.etag,
    );
    await blobs().getContainerClient(container).delete();
    await sweepOn(at(deleteOn, '07:00:00'));
    await sweepOn(at(plusDays(deleteOn, 1)));
    await sweepOn(at(plusDays(deleteOn, 2)));
    const after = await x.stored(r.id);
    expect(after.retention).toMatchObject({ deleted: [{ container }] });
    expect(after.retention?.deleting).toBeUndefined();
    expect((await x.audit(r.id)).filter((e) => e.action === 'retention.deleted')).toHaveLength(1);
  });

  it("deletes a failed attempt's container seven days after it failed", async () => {
    x.sandbox.exportControls.failNext();
    const approved = await approvedNow();
    const failed = await x.follow(approved.id, (r) => r.status === 'failed');
    const container = failed.export!.containerName;
    const failedOn = Date.parse(failed.export!.completedAt ?? failed.export!.lastCheckedAt!);
    await sweepOn(new Date(failedOn + 6 * DAY));
    expect(await containerExists(container)).toBe(true);
    await sweepOn(new Date(failedOn + 7 * DAY + 60_000));
    expect(await containerExists(container)).toBe(false);
    expect((await x.audit(failed.id)).filter((e) => e.action === 'retention.deleted')).toHaveLength(1);
  });

  it('purges intake drafts after a day, and records how many', async () => {
    const conversationId = `a:personal-drafts-${Date.now()}`;
    await x.h.post(
      personalMessage(`export data for ${isaiah.userPrincipalName}`, {
        serviceUrl: x.h.connector.serviceUrl,
        from: person('Alex Wilber'),
        conversationId,
      }),
    );
    await x.h.connector.waitForSent(conversationId);
    const drafts = new TableDraftStore(testStorageConnectionString(), x.h.tables.drafts);
    const before = await drafts.draftsBefore('9999-12-31', 1000);
    expect(before.length).toBeGreaterThan(0);
    await sweepOn(new Date(x.clock.now().getTime() + 25 * 3600_000));
    expect(await drafts.draftsBefore('9999-12-31', 1000)).toEqual([]);
    const untied = await new TableAuditLog(testStorageConnectionString(), x.h.tables.audit).list();
    expect(untied.some((e) => e.action === 'draft.purged')).toBe(true);
  });

  it('leaves only a tombstone 24 months after the answer: the record and its trail go, the figures stay', async () => {
    const r = await deliveredToday();
    await sweepOn(at(plusDays(r.delivery!.date, 27)));
    await sweepOn(at(plusDays(r.delivery!.date, 30)));
    const answered = await x.stored(r.id);
    expect(answered.retention?.deleted).toHaveLength(1);
    const recordDay = addMonths(r.delivery!.date, 24);
    // A trail export made for a regulator: a copy of personal data that goes with the record.
    const trails = new BlobAuditFiles(testStorageConnectionString(), x.h.config.records.trailsContainer);
    await trails.write(`trails/${r.id}/20270101T000000Z-test.jsonl`, '{"seq":1}\n', 'application/x-ndjson');

    await sweepOn(at(plusDays(recordDay, -1)));
    expect(await store().get(r.id)).toBeDefined();
    await sweepOn(at(recordDay));
    expect(await store().get(r.id)).toBeUndefined();
    expect(await trails.list(`trails/${r.id}/`)).toEqual([]);
    const stone = await new TableTombstones(testStorageConnectionString(), x.h.tables.tombstones).get(r.id);
    const { deletedAt, ...kept } = stone!;
    expect(kept).toEqual(outcomeOf(answered));
    expect(deletedAt).toBe(x.clock.now().toISOString());
    // Nothing personal is left in the tombstone.
    for (const text of ['Isaiah', 'isaiahl', 'Alex', 'Megan', answered.reference, answered.justification])
      expect(JSON.stringify(stone)).not.toContain(text);
    const audit = new TableAuditLog(testStorageConnectionString(), x.h.tables.audit);
    expect(await audit.list(r.id)).toEqual([]);
    const untied = await audit.list();
    expect(untied.filter((e) => e.action === 'record.tombstoned' && e.detail?.includes(r.id))).toHaveLength(
      1,
    );
    // Swept again: nothing more happens.
    await sweepOn(at(plusDays(recordDay, 1)));
    expect(
      (await audit.list()).filter((e) => e.action === 'record.tombstoned' && e.detail?.includes(r.id)),
    ).toHaveLength(1);
  });

  it('writes the retention steps to the log by request id, and no name, sign-in, reference or reason in any line', () => {
    expect(x.logLines.some((l) => l.includes('"event":"retention.deleted"'))).toBe(true);
    const tombstoned = x.logLines.filter((l) => l.includes('"event":"record.tombstoned"'));
    expect(tombstoned.length).toBeGreaterThan(0);
    expect(tombstoned.every((l) => /"requestId":"DSR-\d{4}-\d{4}"/.test(l))).toBe(true);
    const personal = [
      isaiah.displayName,
      isaiah.userPrincipalName,
      'Alex Wilber',
      'Megan Bowen',
      'SR-16',
      'Subject access request by email.',
      'complaint to the regulator',
      'Link sent',
    ];
    for (const line of x.logLines) {
      for (const p of personal) expect({ line, leaks: line.includes(p) }).toEqual({ line, leaks: false });
      expect(line).not.toMatch(/[?&]sig=/i);
    }
  });
});
