import type { HashText } from '../domain/audit-chain';
import {
  SEALS_PREFIX,
  chainHashes,
  checkAgainstSeal,
  checkSealChain,
  dayOfSealFile,
  makeSeal,
  sealFileName,
  sealText,
  type SealCheck,
  type SealLink,
} from '../domain/audit-seal';
import type { AuditSeal } from '../domain/audit-seal';
import { isoDate } from '../domain/policies';
import { NO_REQUEST_TRAIL, type AuditLog, type Clock, type DailyTasks } from '../domain/ports';
import { FileExistsError, type AuditFiles, type Tombstones } from '../domain/records-ports';

export interface SealAuditDeps {
  /**
   * Read for every trail's head, and every sealed trail to check it against the seal before; the seal itself
   * is recorded in it (`audit.sealed`).
   */
  readonly audit: Pick<AuditLog, 'heads' | 'append' | 'trail'>;
  /** Trails of deleted requests (retention) are expected to be gone: a tombstone, and its record, say so. */
  readonly tombstones: Pick<Tombstones, 'get'>;
  /** The audit container: seals go to `seals/<day>.json`, written once. */
  readonly files: Pick<AuditFiles, 'write' | 'read' | 'list'>;
  /** The day's seal is claimed by one instance and marked done once written. */
  readonly daily: DailyTasks;
  readonly clock: Clock;
  /** The audit chain's hash (SHA-256 as hex). */
  readonly hash: HashText;
  /** How long one instance's claim holds the others back (longer than reading every head can take). */
  readonly claimMs: number;
}

/** The daily task's name in {@link DailyTasks} (one row per sealed day). */
export const SEAL_TASK = 'audit-seal';

/**
 * What a round did: another instance has the day (or it is done), the seal was written now, or the day's seal
 * file existed already (written by an instance that stopped before marking the task done).
 */
export type SealOutcome =
  | { readonly kind: 'elsewhere'; readonly day: string }
  | SealWritten
  /**
   * The trails no longer hold what the seal before recorded: someone changed the audit table behind the bot's
   * back. Nothing is sealed (sealing would bless the change) until the trails are restored; said loudly.
   */
  | { readonly kind: 'tampered'; readonly day: string; readonly check: SealCheck };

/** The day's seal is in the audit container: written now (with its count of trails), or found written. */
export type SealWritten =
  | { readonly kind: 'sealed'; readonly day: string; readonly hash: string; readonly count: number }
  | { readonly kind: 'alreadySealed'; readonly day: string; readonly hash: string };

const BOT = { name: 'DSR export bot' } as const;

/**
 * Seals the previous UTC day: reads the head of every trail and writes them, with the hash of the latest seal
 * before, to `seals/<day>.json` in the audit container, then records `audit.sealed` with the seal's hash and
 * count. Every instance may run this as often as it likes: the day is claimed by one instance (DailyTasks),
 * the file is never overwritten (a name taken means sealed already), and the record is written once per day
 * (once-key), so a round that stopped half-way is finished by the next one. Returns what happened, for the log.
 */
export async function sealAudit(deps: SealAuditDeps, now: Date = deps.clock.now()): Promise<SealOutcome> {
  const day = isoDate(new Date(now.getTime() - 24 * 3600 * 1000));
  if ((await deps.daily.claim(SEAL_TASK, day, now, deps.claimMs)) !== 'claimed')
    return { kind: 'elsewhere', day };
  const name = sealFileName(day);
  const names = (await deps.files.list(SEALS_PREFIX)).filter((n) => dayOfSealFile(n) !== undefined).sort();
  const previousName = names.filter((n) => n < name).at(-1);
  // The seal before must still hold, whoever wrote today's file: a trail rewritten whole since (even with a
  // consistent chain and head, even with a forged seal for today) is caught here, and nothing is sealed.
  const previous = previousName === undefined ? undefined : await readSeal(deps, previousName);
  if (previous) {
    const check = await checkTrails(deps, previous);
    if (!check.valid) {
      await deps.audit.append(
        {
          at: deps.clock.now().toISOString(),
          action: 'audit.sealed',
          actor: BOT,
          outcome: 'refused',
          detail: `not sealed ${day}: the trails no longer hold what ${previousName} sealed: ${check.problems
            .slice(0, 20)
            .map((p) => `${p.kind} ${p.trail}`)
            .join(', ')}`,
        },
        `audit-seal-refused-${day}`,
      );
      // Recorded and said once for the day: checking every trail again every round would only repeat it. The
      // next day's round checks again (and refuses again until the trails are restored).
      await deps.daily.complete(SEAL_TASK, day, deps.clock.now().toISOString());
      return { kind: 'tampered', day, check };
    }
  }
  const outcome = names.includes(name)
    ? await alreadySealed(deps, day)
    : await writeSeal(deps, day, now, previousName);
  await deps.audit.append(
    {
      at: deps.clock.now().toISOString(),
      action: 'audit.sealed',
      actor: BOT,
      outcome: 'ok',
      detail:
        outcome.kind === 'sealed'
          ? `sealed ${day}: ${outcome.count} trails in ${name}, seal sha256 ${outcome.hash}`
          : `sealed ${day}: ${name} was written before, seal sha256 ${outcome.hash}`,
    },
    `audit-sealed-${day}`,
  );
  await deps.daily.complete(SEAL_TASK, day, deps.clock.now().toISOString());
  return outcome;
}

async function writeSeal(
  deps: SealAuditDeps,
  day: string,
  now: Date,
  previousName: string | undefined,
): Promise<SealWritten> {
  let previous: string | null = null;
  if (previousName !== undefined) {
    const stored = await deps.files.read(previousName);
    if (!stored)
      throw new Error(
        `The seal ${previousName} is listed in the audit container but cannot be read; the seal of ${day} ` +
          'was not written. Check the container (and its immutability policy) before the next round.',
      );
    previous = deps.hash(stored.content.toString('utf8'));
  }
  const seal = makeSeal(day, now.toISOString(), await deps.audit.heads(), previous);
  const text = sealText(seal);
  try {
    await deps.files.write(sealFileName(day), text, 'application/json');
  } catch (err) {
    if (err instanceof FileExistsError) return alreadySealed(deps, day);
    throw err;
  }
  return { kind: 'sealed', day, hash: deps.hash(text), count: seal.count };
}

async function alreadySealed(deps: SealAuditDeps, day: string): Promise<SealWritten> {
  const stored = await deps.files.read(sealFileName(day));
  if (!stored) throw new Error(`The seal ${sealFileName(day)} exists but cannot be read.`);
  return { kind: 'alreadySealed', day, hash: deps.hash(stored.content.toString('utf8')) };
}

export interface VerifySealsDeps {
  readonly audit: Pick<AuditLog, 'heads' | 'trail'>;
  readonly files: Pick<AuditFiles, 'read' | 'list'>;
  /** Trails of deleted requests (retention) are expected to be gone: a tombstone says so. */
  readonly tombstones: Pick<Tombstones, 'get'>;
  readonly hash: HashText;
}

/** The seals as found, and what the trails hold now against the latest one. */
export interface SealsVerification {
  /** Every seal file, oldest first, and how it links to the one before. */
  readonly seals: readonly SealLink[];
  /** True when every seal can be read and links to the one before it (and the first to none). */
  readonly chained: boolean;
  /** The current trails against the latest seal; undefined when there is none or it cannot be read. */
  readonly latest: SealCheck | undefined;
}

/**
 * Verifies the seals: reads every seal file (the chain of seals: each names the hash of the one before) and
 * compares the current trails with the latest seal. This reads every seal file and every trail the latest seal
 * names (one query per trail, a tombstone look-up for a trail that no longer matches): an operator's check, not a
 * per-request one. Facts only; the words belong at the edge.
 */
export async function verifySeals(deps: VerifySealsDeps): Promise<SealsVerification> {
  const names = (await deps.files.list(SEALS_PREFIX)).filter((n) => dayOfSealFile(n) !== undefined).sort();
  const files = await Promise.all(
    names.map(async (name) => ({ name, text: (await deps.files.read(name))?.content.toString('utf8') })),
  );
  const seals = checkSealChain(deps.hash, files);
  const chained = seals.every((s) => s.link !== 'broken');
  const seal = seals.at(-1)?.seal;
  if (!seal) return { seals, chained, latest: undefined };

  const latest = await checkTrails(deps, seal);
  return { seals, chained, latest };
}

/** The trails read at once while checking a seal. */
const PARALLEL_READS = 8;

/** A seal file, parsed; undefined when it cannot be read or is not a seal. */
async function readSeal(
  deps: Pick<SealAuditDeps, 'files' | 'hash'>,
  name: string,
): Promise<AuditSeal | undefined> {
  const stored = await deps.files.read(name);
  if (!stored) return undefined;
  return checkSealChain(deps.hash, [{ name, text: stored.content.toString('utf8') }])[0]?.seal;
}

/**
 * The current trails against `seal`: every sealed trail is read whole and its chain recomputed (a head row is
 * not trusted: it can be rewritten with the entries). A trail that no longer holds what was sealed counts as
 * deleted by retention only when its tombstone exists and the trail of events tied to no request records the
 * deletion (a tombstone row alone could be forged).
 */
async function checkTrails(
  deps: {
    readonly audit: Pick<AuditLog, 'heads' | 'trail'>;
    readonly tombstones: Pick<Tombstones, 'get'>;
    readonly hash: HashText;
  },
  seal: AuditSeal,
): Promise<SealCheck> {
  const heads = await deps.audit.heads();
  const hashes = new Map<string, Map<number, string>>();
  const suspects: string[] = [];
  const queue = [...seal.heads];
  const reader = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { trail, seq, hash } = next;
      const { entries } = await deps.audit.trail(trail === NO_REQUEST_TRAIL ? undefined : trail);
      const now = chainHashes(deps.hash, entries);
      hashes.set(trail, now);
      if (now.get(seq) !== hash && trail !== NO_REQUEST_TRAIL) suspects.push(trail);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_READS }, reader));
  const deleted = new Set<string>();
  if (suspects.length > 0) {
    const untied = (await deps.audit.trail(undefined)).entries.map((e) => e.event);
    const recorded = (id: string) =>
      untied.some((e) => e.action === 'record.tombstoned' && (e.detail ?? '').startsWith(`${id} deleted`));
    for (const trail of suspects)
      if (recorded(trail) && (await deps.tombstones.get(trail))) deleted.add(trail);
  }
  return checkAgainstSeal(seal, heads, (trail, seq) => hashes.get(trail)?.get(seq), deleted);
}
