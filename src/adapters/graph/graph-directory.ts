import type { Client } from '@microsoft/microsoft-graph-client';
import type { Directory, DirectoryUser } from '../../domain/ports';
import { explainGraphFailure, GraphCallError } from './graph-errors';

const SELECT = 'id,displayName,userPrincipalName,mail,jobTitle,department';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
const odataString = (s: string) => `'${s.replace(/'/g, "''")}'`;

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
          .filter(`userPrincipalName eq ${literal} or mail eq ${literal}`)
          .select(SELECT)
          .top(2)
          .get() as Promise<{ value: GraphUser[] }>,
    );
    const first = page.value[0];
    return first ? toDirectoryUser(first) : undefined;
  }

  async searchByDisplayName(text: string, limit: number): Promise<DirectoryUser[]> {
    // $search takes a quoted clause; quotes and backslashes inside it cannot be escaped reliably, so drop them.
    const term = text.replace(/["\\]/g, ' ').replace(/\s+/g, ' ').trim();
    if (term === '') return [];
    const page = await this.call(
      'GET /users?$search',
      () =>
        this.client
          .api('/users')
          .header('ConsistencyLevel', 'eventual')
          .search(`"displayName:${term}"`)
          .select(SELECT)
          .top(Math.max(1, Math.min(limit, 999)))
          .get() as Promise<{ value: GraphUser[] }>,
    );
    return page.value.map(toDirectoryUser);
  }

  async heldRoles(userId: string, roleTemplateIds: readonly string[]): Promise<string[]> {
    if (roleTemplateIds.length === 0) return [];
    const result = await this.call(
      'POST /users/{id}/checkMemberObjects',
      () =>
        this.client
          .api(`/users/${encodeURIComponent(userId)}/checkMemberObjects`)
          .post({ ids: roleTemplateIds }) as Promise<{ value: string[] }>,
    );
    const held = new Set(result.value.map((id) => id.toLowerCase()));
    return roleTemplateIds.filter((id) => held.has(id.toLowerCase()));
  }
}
