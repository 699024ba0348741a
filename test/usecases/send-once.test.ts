import { TableNoticeLog } from '../../src/adapters/storage/notice-log';
import { ConversationGoneError, SendLater, type Notifier } from '../../src/domain/notifier';
import { sendOnce, type NoticeDeps } from '../../src/usecases/notice-deps';
import { uniqueName } from '../contracts/fixtures';
import { testStorageConnectionString } from '../support/sandbox';
import { pendingRequest, unitWorld } from './unit/deps';

const CLAIM_MS = 5 * 60_000;

/** Notice deps over a real notices table (Azurite); the notifier is never called (sendOnce is given `send`). */
function noticeDeps(): NoticeDeps {
  const w = unitWorld();
  return {
    ...w.applyDeps,
    notifier: {} as Notifier,
    notices: new TableNoticeLog(testStorageConnectionString(), uniqueName('notices')),
    postClaimMs: CLAIM_MS,
  };
}

describe('sendOnce: a notice goes out once, even from two copies of its job at once', () => {
  it('sends once when two runs of the same notice overlap; the other comes back when the claim runs out', async () => {
    const deps = noticeDeps();
    const request = pendingRequest();
    let sends = 0;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const send = async () => {
      sends++;
      await held;
    };
    const runs = [1, 2].map(() =>
      sendOnce(deps, request, 'thread-complete-1', 'the thread', send).then(
        () => 'sent' as const,
        (err: unknown) => err,
      ),
    );
    // The run that lost the claim ends first (the other is held in its send): it is told to come back later.
    const lost = await Promise.race(runs);
    expect(lost).toBeInstanceOf(SendLater);
    expect((lost as SendLater).ms).toBe(CLAIM_MS);
    release();
    expect((await Promise.all(runs)).filter((r) => r === 'sent')).toHaveLength(1);
    expect(sends).toBe(1);
    // When it comes back, the notice is recorded: nothing more is sent.
    await sendOnce(deps, request, 'thread-complete-1', 'the thread', send);
    expect(sends).toBe(1);
  });

  it('gives the claim up when Teams surely did not take the notice, so that the next try sends at once', async () => {
    const deps = noticeDeps();
    const request = pendingRequest();
    let sends = 0;
    for (const refusal of [new SendLater(1000), new ConversationGoneError('ConversationNotFound')])
      await expect(
        sendOnce(deps, request, 'requester-complete-1', 'the chat', () => Promise.reject(refusal)),
      ).rejects.toBe(refusal);
    await sendOnce(deps, request, 'requester-complete-1', 'the chat', () => {
      sends++;
      return Promise.resolve();
    });
    expect(sends).toBe(1);
    expect(await deps.notices.wasSent(request.id, 'requester-complete-1')).toBe(true);
  });

  it('keeps the claim after a failure that may have sent it (a deadline, a 5xx): the next try waits for it', async () => {
    const deps = noticeDeps();
    const request = pendingRequest();
    await expect(
      sendOnce(deps, request, 'thread-complete-1', 'the thread', () =>
        Promise.reject(new Error('Teams did not answer within 15 s')),
      ),
    ).rejects.toThrow('did not answer');
    await expect(
      sendOnce(deps, request, 'thread-complete-1', 'the thread', () => Promise.resolve()),
    ).rejects.toBeInstanceOf(SendLater);
  });
});
