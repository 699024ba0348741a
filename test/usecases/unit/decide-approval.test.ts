import { ROLE } from '../../../sandbox/demo-tenant';
import { decideApproval, verifyDecision, type DecisionVerb } from '../../../src/usecases/decide-approval';
import type { Caller } from '../../../src/usecases/who-am-i';
import {
  ALEX,
  APPROVALS,
  caller,
  CARD_THREAD,
  ISAIAH,
  MEGAN,
  PATTI,
  pendingRequest,
  ROLE_CHECK_BUDGET_MS,
  unitWorld,
  waitingJobTypes,
  type UnitWorld,
} from './deps';

const ID = 'DSR-2026-0001';

async function world(): Promise<UnitWorld> {
  const w = unitWorld();
  await w.requests.create(pendingRequest(ID));
  return w;
}

const click = (
  w: UnitWorld,
  who: Caller,
  verb: DecisionVerb,
  reason = '',
  conversationId: string = CARD_THREAD,
  requestId: string = ID,
) => decideApproval(w.decideDeps, who, conversationId, requestId, verb, reason);

const refusalsAudited = (w: UnitWorld) =>
  w.audit.all().filter((e) => e.action === 'decision.refused' && e.outcome === 'refused');

describe('decideApproval: a click on Approve, Reject or Cancel', () => {
  it('approves for an admin of the home tenant clicking on the card, and starts the export', async () => {
    const w = await world();
    const reply = await click(w, caller(MEGAN), 'approve');
    expect(reply.kind).toBe('decided');
    const stored = w.requests.stored(ID);
    expect(stored.status).toBe('approved');
    expect(stored.decision?.by).toEqual({ aadObjectId: MEGAN.id, name: MEGAN.displayName });
    expect(waitingJobTypes(w)).toContain('submitExport');
    expect(w.directory.roleChecks).toBe(1);
  });

  it('checks the role live: an admin whose role was withdrawn since is refused', async () => {
    const w = await world();
    w.directory.withdraw(MEGAN.id, ROLE.globalAdministrator);
    expect(await click(w, caller(MEGAN), 'approve')).toMatchObject({ kind: 'refused', why: 'noRole' });
    expect(w.requests.stored(ID).status).toBe('pendingApproval');
  });

  it('refuses someone who holds none of the allowed roles, and audits the refusal', async () => {
    const w = await world();
    expect(await click(w, caller(ISAIAH), 'approve')).toMatchObject({ kind: 'refused', why: 'noRole' });
    expect(w.requests.stored(ID).status).toBe('pendingApproval');
    expect(refusalsAudited(w).map((e) => e.actor.aadObjectId)).toEqual([ISAIAH.id]);
    expect(w.jobs.enqueued()).toEqual([]);
  });

  it('refuses a caller from another tenant without asking the directory, and audits it', async () => {
    const w = await world();
    const reply = await click(w, caller(MEGAN, 'f00df00d-0000-4000-8000-000000000001'), 'approve');
    expect(reply).toMatchObject({ kind: 'refused', why: 'otherTenant' });
    expect(w.directory.roleChecks).toBe(0);
    expect(refusalsAudited(w)[0]?.actor.tenantId).toBe('f00df00d-0000-4000-8000-000000000001');
    expect(w.requests.stored(ID).status).toBe('pendingApproval');
  });

  it('refuses a caller Teams names no tenant for', async () => {
    const w = await world();
    const noTenant: Caller = { ...caller(MEGAN), tenantId: undefined };
    expect(await click(w, noTenant, 'approve')).toMatchObject({ kind: 'refused', why: 'otherTenant' });
    expect(w.directory.roleChecks).toBe(0);
  });

  it('refuses a click that carries no Entra object id', async () => {
    const w = await world();
    const nobody: Caller = { aadObjectId: undefined, name: 'Someone', tenantId: caller(MEGAN).tenantId };
    expect(await click(w, nobody, 'approve')).toMatchObject({ kind: 'refused', why: 'unknownCaller' });
  });

  it('refuses a click from another conversation than the request’s approval card', async () => {
    const w = await world();
    const reply = await click(w, caller(MEGAN), 'approve', '', 'a:megan-personal-chat');
    expect(reply).toMatchObject({ kind: 'refused', why: 'wrongConversation' });
    expect(w.directory.roleChecks).toBe(0);
    expect(w.requests.stored(ID).status).toBe('pendingApproval');
  });

  it('takes a click from anywhere in the approvals channel the card is in', async () => {
    const w = await world();
    const reply = await click(w, caller(MEGAN), 'approve', '', `${APPROVALS};messageid=1700000000099`);
    expect(reply.kind).toBe('decided');
  });

  it('refuses the requester’s own approval (four eyes), although they hold an admin role, without asking Graph', async () => {
    const w = await world();
    expect(await click(w, caller(ALEX), 'approve')).toMatchObject({ kind: 'refused', why: 'selfApproval' });
    expect(await click(w, caller(ALEX), 'reject', 'not needed')).toMatchObject({ why: 'selfApproval' });
    expect(w.directory.roleChecks).toBe(0);
    expect(w.requests.stored(ID).status).toBe('pendingApproval');
  });

  it('refuses a rejection without a reason', async () => {
    const w = await world();
    expect(await click(w, caller(MEGAN), 'reject', '   ')).toMatchObject({ why: 'reasonRequired' });
  });

  it('rejects with the reason given', async () => {
    const w = await world();
    expect((await click(w, caller(PATTI), 'reject', 'No ticket for this.')).kind).toBe('decided');
    expect(w.requests.stored(ID)).toMatchObject({
      status: 'rejected',
      decision: { verdict: 'rejected', reason: 'No ticket for this.' },
    });
  });

  it('lets the requester cancel their pending request without a role check, and nobody else', async () => {
    const w = await world();
    expect(await click(w, caller(MEGAN), 'cancel')).toMatchObject({ kind: 'refused', why: 'notRequester' });
    expect((await click(w, caller(ALEX), 'cancel')).kind).toBe('decided');
    expect(w.requests.stored(ID).status).toBe('cancelled');
    expect(w.directory.roleChecks).toBe(0);
  });

  it('answers the same click delivered twice with the same answer, and no second effect', async () => {
    const w = await world();
    expect((await click(w, caller(MEGAN), 'approve')).kind).toBe('decided');
    expect((await click(w, caller(MEGAN), 'approve')).kind).toBe('decided');
    expect(w.jobs.enqueued().filter((j) => j.type === 'submitExport')).toHaveLength(1);
    expect(w.audit.actions(ID).filter((a) => a === 'request.approved')).toHaveLength(1);
    expect(refusalsAudited(w)).toEqual([]);
  });

  it('tells a second admin who decided first', async () => {
    const w = await world();
    await click(w, caller(MEGAN), 'approve');
    const reply = await click(w, caller(PATTI), 'reject', 'Too late?');
    expect(reply).toMatchObject({ kind: 'refused', why: 'alreadyDecided' });
    expect(reply.request?.decision?.by?.aadObjectId).toBe(MEGAN.id);
  });

  it('answers notFound for a request it does not hold, and audits it', async () => {
    const w = await world();
    const reply = await click(w, caller(MEGAN), 'approve', '', CARD_THREAD, 'DSR-2026-0404');
    expect(reply).toMatchObject({ kind: 'refused', why: 'notFound', request: undefined });
    expect(refusalsAudited(w)).toHaveLength(1);
  });
});

describe('decideApproval when Graph is slow to confirm the role', () => {
  /** Megan clicks while role checks hang; the budget runs out on the moved clock. */
  async function slowClick(w: UnitWorld, who = caller(MEGAN), verb: DecisionVerb = 'approve') {
    const slow = w.directory.slowRoleChecks();
    const reply = click(w, who, verb, verb === 'reject' ? 'No ticket.' : '');
    await slow.asked();
    w.clock.advance(ROLE_CHECK_BUDGET_MS);
    return { reply: await reply, slow };
  }

  it('records the decision as a claim within the budget, and a job to verify it', async () => {
    const w = await world();
    const { reply } = await slowClick(w);
    expect(reply.kind).toBe('verifying');
    const stored = w.requests.stored(ID);
    expect(stored.status).toBe('pendingApproval');
    expect(stored.pendingDecision).toMatchObject({ verdict: 'approved', by: { aadObjectId: MEGAN.id } });
    expect(w.jobs.enqueued()).toContainEqual({
      type: 'verifyDecision',
      requestId: ID,
      claimId: stored.pendingDecision!.claimId,
    });
  });

  it('stores the claimed decision once the verification job confirms the role', async () => {
    const w = await world();
    const { slow } = await slowClick(w);
    slow.release();
    await verifyDecision(w.decideDeps, ID, w.requests.stored(ID).pendingDecision!.claimId);
    const stored = w.requests.stored(ID);
    expect(stored.status).toBe('approved');
    expect(stored.pendingDecision).toBeUndefined();
    expect(waitingJobTypes(w)).toContain('submitExport');
  });

  it('drops the claim, saying why in the thread, when the verification finds no role', async () => {
    const w = await world();
    const { slow } = await slowClick(w);
    slow.release();
    w.directory.withdraw(MEGAN.id, ROLE.globalAdministrator);
    const claimId = w.requests.stored(ID).pendingDecision!.claimId;
    await verifyDecision(w.decideDeps, ID, claimId);
    const stored = w.requests.stored(ID);
    expect(stored.status).toBe('pendingApproval');
    expect(stored.pendingDecision).toBeUndefined();
    expect(w.jobs.enqueued()).toContainEqual(
      expect.objectContaining({ type: 'replyInThread', key: `refused-${claimId}` }),
    );
    expect(refusalsAudited(w).map((e) => e.actor.aadObjectId)).toEqual([MEGAN.id]);
  });

  it('stores no second claim when the claimant clicks again while theirs is verified', async () => {
    const w = await world();
    await slowClick(w);
    const { reply } = await slowClick(w);
    expect(reply.kind).toBe('verifying');
    expect(w.jobs.enqueued().filter((j) => j.type === 'verifyDecision')).toHaveLength(1);
  });

  it('holds other admins back while a claim is verified', async () => {
    const w = await world();
    const { slow } = await slowClick(w);
    slow.release();
    expect(await click(w, caller(PATTI), 'approve')).toMatchObject({ kind: 'refused', why: 'beingVerified' });
  });

  it('refuses a Resubmit rather than claim it when Graph is slow', async () => {
    const w = await world();
    await click(w, caller(MEGAN), 'approve');
    const x = w.requests.stored(ID).export!;
    const failed = await w.requests.getVersioned(ID);
    await w.requests.replace(
      {
        ...failed!.value,
        status: 'failed',
        export: { ...x, nextAt: undefined, failure: { code: 'OperationFailed', message: 'failed' } },
      },
      failed!.etag,
    );
    const { reply } = await slowClick(w, caller(PATTI), 'resubmit');
    expect(reply).toMatchObject({ kind: 'refused', why: 'roleCheckSlow' });
    expect(w.requests.stored(ID).status).toBe('failed');
  });

  describe('for someone a live check confirmed in the last five minutes', () => {
    const SHORT_MS = 100;
    const remembered = (w: UnitWorld, ids: readonly string[]) => ({
      ...w.decideDeps,
      recentlyConfirmed: (userId: string) => ids.includes(userId),
      recentRoleBudgetMs: SHORT_MS,
    });

    /** Clicks while role checks hang; moves the clock by the short budget; says whether the click answered. */
    async function shortWait(
      w: UnitWorld,
      ids: readonly string[],
      who = caller(MEGAN),
      verb: DecisionVerb = 'approve',
    ) {
      const slow = w.directory.slowRoleChecks();
      let answered = false;
      const reply = decideApproval(remembered(w, ids), who, CARD_THREAD, ID, verb, '').finally(
        () => (answered = true),
      );
      await slow.asked();
      w.clock.advance(SHORT_MS);
      for (let turn = 0; turn < 50 && !answered; turn++) await new Promise((r) => setImmediate(r));
      return { reply, answered, slow };
    }

    it('waits the short budget only, then records a claim that a job verifies live', async () => {
      const w = await world();
      const { reply, answered, slow } = await shortWait(w, [MEGAN.id]);
      expect(answered).toBe(true);
      expect((await reply).kind).toBe('verifying');
      expect(w.requests.stored(ID).status).toBe('pendingApproval');
      expect(waitingJobTypes(w)).toContain('verifyDecision');
      expect(waitingJobTypes(w)).not.toContain('submitExport');
      slow.release();
      await verifyDecision(w.decideDeps, ID, w.requests.stored(ID).pendingDecision!.claimId);
      expect(w.requests.stored(ID).status).toBe('approved');
    });

    it('starts no export when the live verification finds the role withdrawn meanwhile', async () => {
      const w = await world();
      const { reply, slow } = await shortWait(w, [MEGAN.id]);
      expect((await reply).kind).toBe('verifying');
      w.directory.withdraw(MEGAN.id, ROLE.globalAdministrator);
      slow.release();
      await verifyDecision(w.decideDeps, ID, w.requests.stored(ID).pendingDecision!.claimId);
      expect(w.requests.stored(ID).status).toBe('pendingApproval');
      expect(waitingJobTypes(w)).not.toContain('submitExport');
    });

    it('keeps the full wait for a Resubmit, which is refused rather than claimed when late', async () => {
      const w = await world();
      await click(w, caller(MEGAN), 'approve');
      const failed = (await w.requests.getVersioned(ID))!;
      await w.requests.replace(
        {
          ...failed.value,
          status: 'failed',
          export: {
            ...failed.value.export!,
            nextAt: undefined,
            failure: { code: 'OperationFailed', message: 'failed' },
          },
        },
        failed.etag,
      );
      const resubmit = await shortWait(w, [PATTI.id], caller(PATTI), 'resubmit');
      expect(resubmit.answered).toBe(false);
      w.clock.advance(ROLE_CHECK_BUDGET_MS);
      expect(await resubmit.reply).toMatchObject({ kind: 'refused', why: 'roleCheckSlow' });
    });

    it('keeps the full wait for anyone not confirmed recently', async () => {
      const w = await world();
      const other = await shortWait(w, [PATTI.id]);
      expect(other.answered).toBe(false);
      w.clock.advance(ROLE_CHECK_BUDGET_MS);
      expect((await other.reply).kind).toBe('verifying');
      other.slow.release();
    });
  });
});
