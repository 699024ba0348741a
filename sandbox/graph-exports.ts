import type { ExportCall, ExportService } from './export-service';
import { authorizeGraphCall, EXPORT_USERS, READ_OPERATIONS } from './graph-authorization';
import { findUser, userNotFound } from './graph-users';
import type { JwtPayload } from './jwt';
import type { GraphRequest, Route } from './router';
import type { SandboxState } from './sandbox-state';

/**
 * The Graph exports room: POST /users/{id}/exportPersonalData and GET /dataPolicyOperations/{id}. This room
 * authorises the call and finds the user; the export service (./export-service.ts, with storage-location.ts
 * and post-throttle.ts) answers as the real service does.
 */
export function graphExportRoutes(state: SandboxState, exports: ExportService): Route<GraphRequest>[] {
  return [
    {
      method: 'POST',
      path: /^\/users\/([^/]+)\/exportPersonalData$/,
      answer: (request, idOrUpn) => {
        const caller = authorizeGraphCall(state, request.headers, EXPORT_USERS);
        const user = findUser(state.tenant, idOrUpn);
        if (!user) throw userNotFound(state.now(), decodeURIComponent(idOrUpn));
        return exports.submit(exportCall(state, request, caller), user, request.json());
      },
    },
    {
      method: 'GET',
      path: /^\/dataPolicyOperations\/([^/]+)$/,
      answer: (request, id) => {
        const caller = authorizeGraphCall(state, request.headers, READ_OPERATIONS);
        return exports.read(exportCall(state, request, caller), decodeURIComponent(id));
      },
    },
  ];
}

function exportCall(state: SandboxState, request: GraphRequest, caller: JwtPayload): ExportCall {
  return { origin: state.origin, version: request.version, tenantId: String(caller.tid) };
}
