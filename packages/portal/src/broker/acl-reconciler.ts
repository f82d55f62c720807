// Keeps Kafka's ACLs equal to what the database says (the database is the truth, ACLs are
// derived): at start-up, after each change (reconcileNow) and on a timer. Every run recomputes the
// whole difference, so outages, crashes between a rotation and its ACL change, and several portal
// instances racing each other all converge.
import {
  type ActivePrincipal,
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
  logger: ReconcilerLogger;
  /** ACLs of principals with this prefix belong to the reconciler; all others are never touched. */
  ownedPrincipalPrefix?: string;
  now?: () => Date;
}

export interface ReconcileResult {
  created: number;
  deleted: number;
}

export interface AclReconciler {
  /**
   * Runs a reconciliation that starts after this call (so it sees the caller's committed change)
   * and resolves with what it changed; rejects if it failed. Calls made while one runs share a
   * single follow-up run.
   */
  reconcileNow(): Promise<ReconcileResult>;
  /** Reconciles now and then every intervalMs; failures are logged and retried on the next tick. */
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
  /** When the ACLs last matched the database (for /readyz). */
  readonly lastReconciledAt: Date | null;
  /** The last run's failure, cleared by the next success. */
  readonly lastError: Error | null;
}

export function createAclReconciler(options: AclReconcilerOptions): AclReconciler {
  const { admin, listActivePrincipals, logger } = options;
  const intervalMs = options.intervalMs ?? 30_000;
  const ownedPrefix = options.ownedPrincipalPrefix ?? defaultOwnedPrincipalPrefix;
  const now = options.now ?? (() => new Date());
  if (!Number.isFinite(intervalMs) || intervalMs < 100)
    throw new TypeError('intervalMs must be at least 100.');

  let lastReconciledAt: Date | null = null;
  let lastError: Error | null = null;
  let running: Promise<ReconcileResult> | null = null;
  let queued: Promise<ReconcileResult> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let started = false;
  // Each start() begins a new timer chain; a tick from before a stop() must not revive an old one.
  let generation = 0;

  const runOnce = async (): Promise<ReconcileResult> => {
    try {
      const principals = await listActivePrincipals();
      const conflicts = conflictingPrincipals(principals);
      if (conflicts.length > 0) {
        logger.warn('Streaming-token principals listed under several workspaces get no ACLs', {
          principals: conflicts,
        });
      }
      const desired = planAcls(principals);
      const existing = await admin.describeAcls();
      const { toCreate, toDelete } = diffAcls(existing, desired, ownedPrefix);
      // Revoke before granting: if the run fails halfway, it fails towards less access.
      // Each binding is an exact filter (its pattern type is LITERAL or PREFIXED, never ANY/MATCH).
      if (toDelete.length > 0) await admin.deleteAcls(toDelete);
      if (toCreate.length > 0) await admin.createAcls(toCreate);
      lastReconciledAt = now();
      lastError = null;
      if (toCreate.length > 0 || toDelete.length > 0) {
        logger.info('Kafka ACLs reconciled', {
          created: toCreate.length,
          deleted: toDelete.length,
          principals: new Set(desired.map((b) => b.principal)).size,
        });
      }
      return { created: toCreate.length, deleted: toDelete.length };
    } catch (error) {
      lastError = error instanceof Error ? error : new Error(String(error));
      throw lastError;
    }
  };

  const reconcileNow = (): Promise<ReconcileResult> => {
    if (queued) return queued;
    if (running) {
      // The run in progress may have read the database before the caller's change: queue one more.
      queued = running
        .catch(() => undefined)
        .then(() => {
          queued = null;
          return reconcileNow();
        });
      return queued;
    }
    running = runOnce().finally(() => {
      running = null;
    });
    return running;
  };

  const tick = (chain: number) => {
    reconcileNow()
      .catch((error: unknown) => {
        // A broker outage is expected now and then: the next tick converges.
        logger.warn('Kafka ACL reconciliation failed; will retry', { error: (error as Error).message });
      })
      .finally(() => {
        if (started && chain === generation) schedule(chain);
      });
  };

  const schedule = (chain: number) => {
    timer = setTimeout(() => tick(chain), intervalMs);
    // The timer alone must not keep the process alive.
    timer.unref();
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
      await Promise.allSettled([running, queued]);
    },
    get lastReconciledAt() {
      return lastReconciledAt;
    },
    get lastError() {
      return lastError;
    },
  };
}
