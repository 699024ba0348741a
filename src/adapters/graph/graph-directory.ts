import type { Client } from '@microsoft/microsoft-graph-client';
import { GUID } from '../../domain/identity';
import type { Directory, DirectoryUser } from '../../domain/ports';
import { wellFormed } from '../../domain/text';
import { explainGraphFailure, GraphCallError } from './graph-errors';

const SELECT = 'id,displayName,userPrincipalName,mail,jobTitle,department';

interface GraphUser {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  jobTitle?: string | null;
  department?: string | null;
}

function toDirectoryUser(u: GraphUser): DirectoryUser {
  return {
    id: u.id,
    displayName: u.displayName ?? u.userPrincipalName ?? u.id,
    userPrincipalName: u.userPrincipalName ?? '',
    mail: u.mail ?? null,
    jobTitle: u.jobTitle ?? null,
    department: u.department ?? null,
  };
}

/** OData string literal: single quotes doubled. */
const odataString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * A query option's value as it must travel in the URL: percent-encoded per RFC 3986 (all but the unreserved
 * characters), so `&`, `#`, `+`, `%`, `'` arrive at Graph as data after it URL-decodes the query. The Graph
 * client's `.filter()` and `.search()` put their argument into the URL as it is, so values are encoded here.
 * Lone surrogates (which cannot be encoded) become U+FFFD.
 */
const encodeQueryValue = (value: string): string =>
  encodeURIComponent(wellFormed(value)).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * The words of a `$search` clause. Inside `"property:words"` a double quote would end the clause and a
 * backslash has no reliable escape in Graph's directory search, so both become spaces.
 */
const searchWords = (text: string): string =>
  wellFormed(text).replace(/["\\]/g, ' ').replace(/\s+/g, ' ').trim();

/** The {@link Directory} port over Microsoft Graph v1.0 with application permissions (User.Read.All). */
export class GraphDirectory implements Directory {
  constructor(
    private readonly client: Client,
    private readonly endpoints: { graph: string; authority: string },
  ) {}

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw explainGraphFailure(err, operation, this.endpoints);
    }
  }

  async findUser(idUpnOrMail: string): Promise<DirectoryUser | undefined> {
    const key = idUpnOrMail.trim();
    if (key === '') return undefined;
    if (GUID.test(key)) {
      try {
        const u = await this.call(
          'GET /users/{id}',
          () =>
            this.client
              .api(`/users/${encodeURIComponent(key)}`)
              .select(SELECT)
              .get() as Promise<GraphUser>,
        );
        return toDirectoryUser(u);
      } catch (err) {
        if (err instanceof GraphCallError && err.status === 404) return undefined;
        throw err;
      }
    }
    const literal = odataString(key);
    const page = await this.call(
      'GET /users?$filter',
      () =>
        this.client
          .api('/users')
          .filter(encodeQueryValue(`userPrincipalName eq ${literal} or mail eq ${literal}`))
          .select(SELECT)
          .top(2)
          .get() as Promise<{ value: GraphUser[] }>,
    );
    // One person's sign-in name can be another's mail address: the sign-in name is the one that names them.
    const byUpn = page.value.find((u) => u.userPrincipalName?.toLowerCase() === key.toLowerCase());
    const found = byUpn ?? page.value[0];
    return found ? toDirectoryUser(found) : undefined;
  }

  async searchByDisplayName(text: string, limit: number): Promise<DirectoryUser[]> {
    const term = searchWords(text);
    if (term === '') return [];
    const page = await this.call(
      'GET /users?$search',
      () =>
        this.client
          .api('/users')
          .header('ConsistencyLevel', 'eventual')
          .search(encodeQueryValue(`"displayName:${term}"`))
          .select(SELECT)
          .top(Math.max(1, Math.min(limit, 999)))
          .get() as Promise<{ value: GraphUser[] }>,
    );
    return page.value.map(toDirectoryUser);
  }

  async heldRoles(userId: string, roleTemplateIds: readonly string[]): Promise<string[]> {
    if (roleTemplateIds.length === 0) return [];
    let result: { value: string[] };
    try {
      result = await this.call(
        'POST /users/{id}/checkMemberObjects',
        () =>
          this.client
            .api(`/users/${encodeURIComponent(userId)}/checkMemberObjects`)
            .post({ ids: roleTemplateIds }) as Promise<{ value: string[] }>,
      );
    } catch (err) {
      // Someone the directory does not know (a guest removed, a forged id) holds no role: a refusal, not an error.
      if (err instanceof GraphCallError && err.status === 404) return [];
      throw err;
    }
    const held = new Set(result.value.map((id) => id.toLowerCase()));
    return roleTemplateIds.filter((id) => held.has(id.toLowerCase()));
  }
}
