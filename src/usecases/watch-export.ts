import { TOP_LEVEL_FOLDER } from '../domain/export-contents';
import { applyEvent } from './apply-event';
import type { ExportDeps } from './export-deps';

/**
 * The watchExport job: between far-apart reads of a running export, looks into its container with the bot's
 * own storage credential (a listing: no Graph call). Graph writes the export's folders there when it finishes;
 * once any is there, the workflow brings the next read forward, and Graph's answer decides. Only the look the
 * attempt waits for acts (a duplicate or late job is stale); a listing that fails is a look that saw nothing.
 */
export async function watchExport(
  deps: ExportDeps,
  requestId: string,
  attempt: number,
  at: string,
): Promise<void> {
  const request = await deps.requests.get(requestId);
  const x = request?.export;
  if (!request || request.status !== 'exporting' || x?.attempt !== attempt || x.watchAt !== at) return;
  const filesSeen = await deps.destinations.summarize(x.containerName).then(
    (contents) => contents.folders.some((f) => f.name !== TOP_LEVEL_FOLDER),
    (err: unknown) => {
      deps.log?.warn('Could not look into an export container; the next read of Graph is as planned', {
        requestId,
        error: err instanceof Error ? err.name : 'unknown',
      });
      return false;
    },
  );
  await applyEvent(deps, requestId, { type: 'watched', attempt, at, filesSeen });
}
