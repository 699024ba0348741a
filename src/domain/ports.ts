/**
 * The ports the core needs. Adapters implement them over Graph, Azure Storage and Teams; tests may use
 * in-memory fakes. Nothing here talks to the network.
 */

/** A person in the home tenant's directory, as the bot shows and records them. */
export interface DirectoryUser {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly mail: string | null;
  readonly jobTitle: string | null;
  readonly department: string | null;
}

/** Read access to the home tenant's directory (Microsoft Graph with application permissions). */
export interface Directory {
  /** Finds one user by object id, user principal name or mail address; undefined when there is none. */
  findUser(idUpnOrMail: string): Promise<DirectoryUser | undefined>;
  /** Users whose display name has words starting with `text`, at most `limit` of them, best first. */
  searchByDisplayName(text: string, limit: number): Promise<DirectoryUser[]>;
  /**
   * Which of `roleTemplateIds` the user holds right now (active assignments, including through
   * role-assignable groups). PIM-eligible roles that are not activated are not held.
   */
  heldRoles(userId: string, roleTemplateIds: readonly string[]): Promise<string[]>;
}

/** Time, injected so that workflows and tests control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
