/** Teams' documented limits for a bot's messages: per conversation, and per app in a tenant. */
export const TEAMS_LIMITS = {
  perConversation: [
    { count: 7, windowMs: 1000 },
    { count: 60, windowMs: 30_000 },
  ],
  perApp: [{ count: 50, windowMs: 1000 }],
} as const;

interface Window {
  readonly count: number;
  readonly windowMs: number;
}

/**
 * Paces sends so that one instance stays inside Teams' limits (7 per second and 60 per 30 seconds in one
 * conversation; 50 per second for the app): {@link SendPacer.wait} resolves when a send may go, and counts
 * it. Teams' own 429 + Retry-After remains the authority (the connector client honours it); this keeps a
 * burst of completions from provoking it. Time is injected.
 */
export class SendPacer {
  private readonly sent = new Map<string, number[]>();
  private readonly app: number[] = [];
  /** Per conversation: the latest turn handed to a deferred send (see {@link SendPacer.nextTurn}). */
  private readonly turns = new Map<string, number>();
  /** When {@link SendPacer.sent} and {@link SendPacer.turns} were last cleared of finished conversations. */
  private sweptAt = -Infinity;

  constructor(
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly limits: {
      perConversation: readonly Window[];
      perApp: readonly Window[];
    } = TEAMS_LIMITS,
  ) {}

  /** How long a send to `conversationId` must wait now (0: it may go). */
  delayFor(conversationId: string): number {
    return Math.max(
      this.conversationDelay(conversationId),
      waitFor(this.app, this.limits.perApp, this.now()),
    );
  }

  /** How long that conversation's own limits hold a send back (the app-wide limit aside). */
  conversationDelay(conversationId: string): number {
    return waitFor(this.sent.get(conversationId) ?? [], this.limits.perConversation, this.now());
  }

  /**
   * For a send put off because its conversation is busy: in how many ms to come back. Turns are handed out
   * one after another at the conversation's sustained rate (one per 500 ms for 60 per 30 s), so that many
   * deferred sends come back one by one instead of all at the same instant (where all but one would be put
   * off again, over and over).
   */
  nextTurn(conversationId: string): number {
    const t = this.now();
    const spacing = Math.max(...this.limits.perConversation.map((w) => w.windowMs / w.count));
    const previous = this.turns.get(conversationId) ?? -Infinity;
    const at = Math.max(t + this.conversationDelay(conversationId), previous + spacing);
    this.turns.set(conversationId, at);
    return at - t;
  }

  /** Waits until a send to `conversationId` is within the limits, then counts it. */
  async wait(conversationId: string): Promise<void> {
    for (;;) {
      const ms = this.delayFor(conversationId);
      if (ms <= 0) break;
      await this.sleep(ms);
    }
    const t = this.now();
    const own = this.sent.get(conversationId) ?? [];
    own.push(t);
    this.app.push(t);
    this.sent.set(conversationId, prune(own, this.limits.perConversation, t));
    prune(this.app, this.limits.perApp, t, true);
    // Once per longest window, forget conversations with no send inside it and no turn to come: the maps hold
    // the conversations of about the last minute, not every thread a day's notices went to.
    const window = longest(this.limits.perConversation);
    if (t - this.sweptAt >= window) {
      this.sweptAt = t;
      for (const [key, times] of this.sent) if (times[times.length - 1]! <= t - window) this.sent.delete(key);
      // A turn handed out is kept a window past its time: its deferred send may not have come back yet.
      for (const [key, at] of this.turns) if (at < t - window) this.turns.delete(key);
    }
  }

  /** How many conversations the pacer holds state for (send times or a deferred turn). */
  get conversations(): number {
    return new Set([...this.sent.keys(), ...this.turns.keys()]).size;
  }
}

function longest(windows: readonly Window[]): number {
  return Math.max(...windows.map((w) => w.windowMs));
}

/** Drops send times older than the longest window (in place when asked), returning what is left. */
function prune(times: number[], windows: readonly Window[], t: number, inPlace = false): number[] {
  const keepFrom = t - longest(windows);
  let i = 0;
  while (i < times.length && times[i]! <= keepFrom) i++;
  if (inPlace) {
    times.splice(0, i);
    return times;
  }
  return times.slice(i);
}

function waitFor(times: readonly number[], windows: readonly Window[], t: number): number {
  let wait = 0;
  for (const w of windows) {
    const recent = times.filter((s) => s > t - w.windowMs);
    if (recent.length >= w.count) {
      // The send that must leave the window first: the count-th most recent.
      const blocking = recent[recent.length - w.count]!;
      wait = Math.max(wait, blocking + w.windowMs - t + 1);
    }
  }
  return wait;
}
