import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { sha256 } from '../../../src/adapters/storage/audit-log';
import type { AuditEvent } from '../../../src/domain/audit';
import { entryHash } from '../../../src/domain/audit-chain';
import { channelMention } from '../../support/activities';
import { cardProblems, cardText } from '../../support/cards';
import { testStorageConnectionString } from '../../support/sandbox';
import { alex, FOREIGN_TENANT, isaiah, megan, startAuditWorld, type AuditWorld } from './audit-world';

/**
 * Issue 16, part 1: a request's audit trail, readable. `audit DSR-…` on real parts (Azurite, the tenant
 * sandbox, a local connector): the trail card page by page with its verdict, for admins only and on each
 * admin's own screen in a shared chat, and tampering with the audit table reported on it.
 */
jest.setTimeout(120_000);

let w: AuditWorld;
let requestId: string;

beforeAll(async () => {
  w = await startAuditWorld();
  requestId = w.requestId;
});

afterAll(() => w?.close());

describe('audit DSR-…: the trail card', () => {
  it('shows an admin page 1 and page 2 of the trail, oldest first, with the verdict', async () => {
    const total = (await w.auditLog().trail(requestId)).entries.length;
    const first = await w.ask(`audit ${requestId}`);
    expect(cardProblems(first)).toEqual([]);
    const text = cardText(first);
    expect(text).toContain(`Audit trail of ${requestId}`);
    expect(text).toContain(`The trail is intact: ${total} entries, each linked to the one before.`);
    expect(text).toContain(`Entries 1–15 of ${total}, oldest first (page 1 of 2)`);
    expect(text).toContain('#1');
    expect(text).toContain('request.created');
    expect(text).toContain('by Alex Wilber');
    expect(text).not.toContain('#16');

    const second = await w.click('audit.page', { requestId, page: 1 }, megan);
    expect(cardProblems(second)).toEqual([]);
    expect(cardText(second)).toContain('(page 2 of 2)');
    expect(cardText(second)).toContain('#16');
    expect(cardText(second)).not.toMatch(/#15\b/);
    // Each view is in the trail.
    expect((await w.actionsOf(requestId)).filter((a) => a === 'audit.viewed').length).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('refuses a non-admin and another tenant with the same words for an existing and an unknown id', async () => {
    const answers = async (id: string) => [
      cardText(await w.ask(`audit ${id}`, isaiah)),
      cardText(await w.ask(`audit ${id}`, alex, FOREIGN_TENANT)),
      cardText(await w.click('audit.page', { requestId: id, page: 0 }, isaiah)),
      cardText(
        await w.click('audit.export', { requestId: id, format: 'csv' }, alex, { tenantId: FOREIGN_TENANT }),
      ),
    ];
    const existing = await answers(requestId);
    const unknown = await answers('DSR-2099-9999');
    expect(existing).toEqual(unknown);
    expect(existing[0]).toMatch(/admins/i);
    for (const t of existing) {
      expect(t).not.toContain(requestId);
      expect(t).not.toContain('Isaiah Langer');
    }
    expect(await w.auditFiles().list(`trails/${requestId}/`)).toEqual([]);
  });

  it('answers in a shared channel with a neutral note that each admin opens on their own screen', async () => {
    const channel = `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`;
    await w.h.post(
      channelMention(`audit ${requestId}`, {
        serviceUrl: w.h.connector.serviceUrl,
        from: alex,
        conversationId: channel,
      }),
    );
    const [note] = await w.h.connector.waitForSent(channel);
    const content = note?.attachments?.[0]?.content as {
      refresh?: { userIds?: string[]; action?: { verb?: string; data?: unknown } };
    };
    expect(cardText(content)).not.toContain('request.created');
    expect(content.refresh?.userIds).toEqual([`29:${alex.teamsId ?? alex.id}`]);
    expect(content.refresh?.action).toMatchObject({ verb: 'audit.page', data: { requestId, page: 0 } });
    const inChannel = { conversationId: channel, conversationType: 'channel' };
    expect(cardText(await w.click('audit.page', { requestId, page: 0 }, megan, inChannel))).toContain(
      'request.created',
    );
    const refused = cardText(await w.click('audit.page', { requestId, page: 0 }, isaiah, inChannel));
    expect(refused).toMatch(/admins/i);
    expect(refused).not.toContain('request.created');

    // An old client's Action.Submit in the channel would post for everyone: nothing is shown or exported.
    const before = w.h.connector.sentTo(channel).length;
    const files = await w.auditFiles().list(`trails/${requestId}/`);
    await w.h.post({
      ...channelMention('', { serviceUrl: w.h.connector.serviceUrl, from: alex, conversationId: channel }),
      text: '',
      entities: [],
      value: { verb: 'audit.export', requestId, format: 'csv' },
    });
    const [posted] = (await w.h.connector.waitForSent(channel, before + 1)).slice(before);
    expect(JSON.stringify(posted)).toMatch(/1:1 chat/);
    expect(JSON.stringify(posted)).not.toContain('audit-files');
    expect(await w.auditFiles().list(`trails/${requestId}/`)).toEqual(files);
  });
});

describe('a tampered trail, reported on the card', () => {
  let tampered = 0;
  /** A trail of five entries for a request id of its own, and a raw client over the bot's audit table. */
  async function fiveEntries(): Promise<{
    id: string;
    raw: TableClient;
    rowOf: (seq: number) => Promise<Row>;
  }> {
    const id = `DSR-2026-${9000 + ++tampered}`;
    for (let i = 1; i <= 5; i++) await w.auditLog().append(w.viewed(id, i));
    const raw = TableClient.fromConnectionString(testStorageConnectionString(), w.h.tables.audit, {
      allowInsecureConnection: true,
    });
    const rowOf = async (seq: number) => {
      for await (const e of raw.listEntities<Row>({ queryOptions: { filter: `PartitionKey eq '${id}'` } }))
        if (e.seq === seq) return e;
      throw new Error(`no row ${seq}`);
    };
    return { id, raw, rowOf };
  }
  type Row = {
    partitionKey: string;
    rowKey: string;
    json: string;
    seq: number;
    prevHash: string;
    hash: string;
  };

  it('reports an entry altered in the table', async () => {
    const { id, raw, rowOf } = await fiveEntries();
    const row = await rowOf(3);
    const json = JSON.stringify({ ...(JSON.parse(row.json) as AuditEvent), detail: 'nothing to see' });
    await raw.updateEntity({ partitionKey: row.partitionKey, rowKey: row.rowKey, json }, 'Merge');
    const text = cardText(await w.ask(`audit ${id}`, megan));
    expect(text).toContain('The trail does not verify');
    expect(text).toContain('Warning: entry 3 was altered after it was written.');
    expect(text).toContain('Altered after it was written');
  });

  it('reports entries deleted from the table', async () => {
    const { id, raw, rowOf } = await fiveEntries();
    for (const seq of [2, 3]) {
      const row = await rowOf(seq);
      await raw.deleteEntity(row.partitionKey, row.rowKey);
    }
    expect(cardText(await w.ask(`audit ${id}`, megan))).toContain('Warning: entries 2–3 were removed.');
  });

  it('reports a row inserted into the table', async () => {
    const { id, raw, rowOf } = await fiveEntries();
    const third = await rowOf(3);
    const forged = { ...w.viewed(id, 3), detail: 'approved by the subject in person' };
    await raw.createEntity({
      partitionKey: third.partitionKey,
      rowKey: `${third.rowKey}a`,
      json: JSON.stringify(forged),
      seq: 4,
      prevHash: third.hash,
      hash: entryHash(sha256, 4, third.hash, forged),
    });
    expect(cardText(await w.ask(`audit ${id}`, megan))).toContain(
      `Warning: an entry was inserted (row ${third.rowKey}a, numbered 4).`,
    );
  });
});
