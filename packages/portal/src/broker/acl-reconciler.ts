// Keeps Kafka's ACLs equal to what the database says (the database is the truth, ACLs are
// derived): at start-up, after each change (reconcileNow), on a timer, and after a failure again
// within seconds (backoff). Every run recomputes the whole difference, so outages, crashes between
// a rotation and its ACL change, and several portal instances racing each other all converge.

import type { AclBinding } from './acl-plan.ts';
import {
  type ActivePrincipal,
  activePrincipalProblem,
  conflictingPrincipals,
  defaultOwnedPrincipalPrefix,
  diffAcls,
  planAcls,
} from './acl-plan.ts';
import type { KafkaAdmin } from './kafka-admin.ts';

export interface ReconcilerLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
}

export interface AclReconcilerOptions {
  admin: Pick<KafkaAdmin, 'describeAcls' | 'createAcls' | 'deleteAcls'>;
  /** The streaming tokens that may use the broker right now, read from the database. */
  listActivePrincipals: () => Promise<ActivePrincipal[]>;
  intervalMs?: number;
  /** First retry after a failed run (default 500 ms), doubling up to retryMaxMs (default 8000) and never past intervalMs. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  logger: ReconcilerLogger;
  /** ACLs of principals with this prefix belong to the reconciler; all others are never touched. */
  ownedPrincipalPrefix?: string;
  now?: () => Date;
}

export interface ReconcileResult {
  created: number;
  deleted: number;
  /** Database rows that could not be planned (given no ACLs) and ACLs that could not be deleted. */
  skipped: SkippedItem[];
}

export interface SkippedItem {
  principal: string;
  reason: string;
}

export interface AclReconciler {
  /**
   * Resolves with what a reconciliation whose database read starts after this call changed (so
   * it sees the caller's committed change); rejects if it failed. A call made while a run is still
   * describing the broker's ACLs joins that run (its read is still to come); calls made after a
   * run read the database share a single follow-up run.
   */
  reconcileNow(): Promise<ReconcileResult>;
  /** Reconciles now and then every intervalMs; a failure is logged and retried with backoff (seconds). */
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
  /** When the ACLs last matched the database (for /readyz). */
  readonly lastReconciledAt: Date | null;
  /** The last run's failure, cleared by the next success. */
  readonly lastError: Error | null;
}

interface RunProgress {
  readingDatabase: boolean;
}

export function createAclReconciler(options: AclReconcilerOptions): AclReconciler {
  const { admin, listActivePrincipals, logger } = options;
  const intervalMs = options.intervalMs ?? 30_000;
  const ownedPrefix = options.ownedPrincipalPrefix ?? defaultOwnedPrincipalPrefix;
  // Checked here too (diffAcls checks it): the cut-off deletes by this prefix before any diff.
  if (!ownedPrefix.startsWith('User:') || ownedPrefix.length <= 'User:'.length)
    throw new TypeError('ownedPrincipalPrefix must be a non-empty User: prefix, e.g. User:sgt-.');
  const now = options.now ?? (() => new Date());
  if (!Number.isFinite(intervalMs) || intervalMs < 100)
    throw new TypeError('intervalMs must be at least 100.');
  const retryBaseMs = options.retryBaseMs ?? 500;
  const retryMaxMs = Math.min(options.retryMaxMs ?? 8_000, intervalMs);
  if (!Number.isFinite(retryBaseMs) || retryBaseMs < 1)
    throw new TypeError('retryBaseMs must be at least 1.');

  let lastReconciledAt: Date | null = null;
  let lastError: Error | null = null;
  /** The run in progress, and whether it has begun to read the database. */
  let running: { result: Promise<ReconcileResult>; progress: RunProgress } | null = null;
  let queued: Promise<ReconcileResult> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let started = false;
  // Each start() begins a new timer chain; a tick from before a stop() must not revive an old one.
  let generation = 0;
  let failures = 0;

  const runOnce = async (progress: RunProgress): Promise<ReconcileResult> => {
    try {
      // Describe first, then read the database: a run that read the database before a rotation
      // (on this instance or another) and the broker after that rotation's cut-off would re-create
      // the rotated token's ACLs. This way, any ACL missing at describe time was removed by a cut-off
      // that committed earlier, and the database read below already sees that rotation.
      const existing = await admin.describeAcls();
      progress.readingDatabase = true;
      const rows = await listActivePrincipals();
      const skipped: SkippedItem[] = [];
      const principals = rows.filter((row) => {
        const problem = activePrincipalProblem(row);
        if (problem) skipped.push({ principal: String(row.principal), reason: problem });
        return problem === null;
      });
      // The cut-off first: the ACLs of principals no active token has (rotated, revoked, deleted
      // workspaces) go before the whole plan is computed, which with thousands of tokens takes
      // longer than the deletion itself. Revoke before granting: if the run fails halfway, it fails
      // towards less access. Each binding is an exact filter (LITERAL or PREFIXED, never ANY/MATCH).
      const active = new Set(principals.map((row) => `User:${row.principal}`));
      const inactive = existing.filter(
        (binding) => binding.principal.startsWith(ownedPrefix) && !active.has(binding.principal),
      );
      const revoked = await deleteEach(inactive, skipped);
      const conflicts = conflictingPrincipals(principals);
      if (conflicts.length > 0) {
        logger.warn('Streaming-token principals listed under several workspaces get no ACLs', {
          principals: conflicts,
        });
      }
      const desired = planAcls(principals);
      const gone = new Set(inactive);
      const rest = gone.size > 0 ? existing.filter((binding) => !gone.has(binding)) : existing;
      // What remains: ACLs of active principals that differ from the plan (stray or conflicting).
      const { toCreate, toDelete: strays } = diffAcls(rest, desired, ownedPrefix);
      const toDelete = [...inactive, ...strays];
      const deleted = { failed: revoked.failed + (await deleteEach(strays, skipped)).failed };
      if (toCreate.length > 0) await admin.createAcls(toCreate);
      if (skipped.length > 0) {
        logger.warn('Kafka ACL reconciliation skipped some rows or ACLs (they get no access)', { skipped });
      }
      if (deleted.failed > 0) {
        // The rest converged, but a revocation is still owed: report the run as failed (retried).
        throw new Error(`${deleted.failed} ACL deletion(s) failed; the others were applied.`);
      }
      lastReconciledAt = now();
      lastError = null;
      failures = 0;
      if (toCreate.length > 0 || toDelete.length > 0) {
        logger.info('Kafka ACLs reconciled', {
          created: toCreate.length,
          deleted: toDelete.length,
          principals: new Set(desired.map((b) => b.principal)).size,
        });
      }
      return { created: toCreate.length, deleted: toDelete.length, skipped };
    } catch (error) {
      lastError = error instanceof Error ? error : new Error(String(error));
      failures += 1;
      retrySoon();
      throw lastError;
    }
  };

  /** All at once; if that is refused, one by one, so one bad ACL does not keep the others. */
  const deleteEach = async (toDelete: AclBinding[], skipped: SkippedItem[]) => {
    if (toDelete.length === 0) return { failed: 0 };
    try {
      await admin.deleteAcls(toDelete);
      return { failed: 0 };
    } catch (error) {
      if (toDelete.length === 1) throw error;
    }
    let failed = 0;
    for (const binding of toDelete) {
      try {
        await admin.deleteAcls([binding]);
      } catch (error) {
        failed += 1;
        skipped.push({ principal: binding.principal, reason: `not deleted: ${(error as Error).message}` });
      }
    }
    if (failed === toDelete.length) throw new Error('Every ACL deletion failed.');
    return { failed };
  };

  const reconcileNow = (): Promise<ReconcileResult> => {
    if (queued) return queued;
    // Its database read is still to come, so it sees the caller's change: after a rotation (whose
    // listener starts a run right after the commit, before the route asks for the cut-off) this
    // spares a second, identical run before the answer.
    if (running && !running.progress.readingDatabase) return running.result;
    if (running) {
      // The run in progress may have read the database before the caller's change: queue one more.
      queued = running.result
        .catch(() => undefined)
        .then(() => {
          queued = null;
          return reconcileNow();
        });
      return queued;
    }
    const progress: RunProgress = { readingDatabase: false };
    const result = runOnce(progress).finally(() => {
      running = null;
    });
    running = { result, progress };
    return result;
  };

  const backoffMs = () => Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(failures - 1, 20));

  const tick = (chain: number) => {
    reconcileNow()
      .catch((error: unknown) => {
        // A broker outage is expected now and then: the retry converges.
        logger.warn('Kafka ACL reconciliation failed; will retry', {
          error: (error as Error).message,
          retryInMs: backoffMs(),
        });
      })
      .finally(() => {
        if (started && chain === generation) schedule(chain, failures > 0 ? backoffMs() : intervalMs);
      });
  };

  const schedule = (chain: number, delayMs: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => tick(chain), delayMs);
    // The timer alone must not keep the process alive.
    timer.unref();
  };

  /** A failed run (a tick's or a caller's, e.g. after a rotation) is retried within seconds, not on the next tick. */
  const retrySoon = () => {
    if (started) schedule(generation, backoffMs());
  };

  return {
    reconcileNow,
    start() {
      if (started) return;
      started = true;
      generation += 1;
      tick(generation);
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await Promise.allSettled([running?.result, queued]);
    },
    get lastReconciledAt() {
      return lastReconciledAt;
    },
    get lastError() {
      return lastError;
    },
  };
}
