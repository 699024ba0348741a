import type { Actor } from './actor';

/** Why and by whom an export is kept past its retention (a legal hold, a complaint, a dispute). */
export interface RetentionHold {
  readonly by: Actor;
  readonly at: string;
  readonly reason: string;
}

/** One export container deleted by retention. */
export interface DeletedContainer {
  readonly container: string;
  readonly at: string;
}

/** What retention did, and what holds it back, on one request. */
export interface RequestRetention {
  /** While set, nothing of the request is deleted: no container, no record. */
  readonly hold?: RetentionHold;
  /** The deletion date the thread was told of (told again only if the date changes). */
  readonly noticedFor?: string;
  /**
   * A deletion of these containers started (stored first: a hold asked for meanwhile waits for it, and a
   * deletion interrupted by a crash is finished by the next run).
   */
  readonly deleting?: { readonly containers: readonly string[]; readonly at: string };
  readonly deleted?: readonly DeletedContainer[];
}
