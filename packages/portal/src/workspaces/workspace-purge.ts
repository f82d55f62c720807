// A deleted workspace's Kafka data (topics, consumer groups, transactional ids, all prefixed
// '{workspaceId}-') must not be inherited by a later workspace with the same id or an id that
// starts with it. Storage queues a purge in the transaction that deletes the workspace; this
// purger converges each queued purge at the broker, step by step, until everything is gone,
// retrying on a timer while the broker is down. Until then the id stays reserved.
import type { Clock } from '../clock.ts';
import { BrokerRefusedError, ConflictError, NotFoundError } from '../errors.ts';
import type { WorkspacePurgeStorage } from '../storage/storage.ts';

/**
 * What the purge needs from the broker (broker/kafka-connection.ts provides it). Failures are the
 * portal's errors, translated where the portal meets Kafka (broker/kafka-errors.ts).
 */
export interface WorkspaceKafkaData {
  listTopics(prefix: string): Promise<string[]>;
  deleteTopic(name: string): Promise<void>;
  listGroups(prefix: string): Promise<string[]>;
  deleteGroups(groups: readonly string[]): Promise<void>;
  listTransactionalIds(prefix: string): Promise<string[]>;
}

export interface PurgeStep {
  done: boolean;
  /** How many are left at the broker (unknown while it cannot be asked). */
  remaining: number | null;
  detail: string;
}

export interface PurgeReport {
  complete: boolean;
  steps: { topics: PurgeStep; consumerGroups: PurgeStep; transactionalIds: PurgeStep };
}

const failed = (what: string, error: unknown): PurgeStep => ({
  done: false,
  remaining: null,
  detail: `${what}: ${error instanceof BrokerRefusedError ? 'the broker refused' : 'the broker could not be asked'} (${error instanceof Error ? error.message : String(error)}); retried until done.`,
});

/** One attempt: every step runs even when another fails, so the report says where each stands. */
export async function purgeWorkspaceData(
  kafka: WorkspaceKafkaData,
  workspaceId: string,
): Promise<PurgeReport> {
  // No live workspace id overlaps this one (workspace-id.ts), so everything with this prefix is its.
  const prefix = `${workspaceId}-`;
  const topics = await (async (): Promise<PurgeStep> => {
    try {
      for (const name of await kafka.listTopics(prefix)) await kafka.deleteTopic(name);
      const left = (await kafka.listTopics(prefix)).length;
      return left === 0
        ? { done: true, remaining: 0, detail: 'deleted' }
        : {
            done: false,
            remaining: left,
            detail: `${left} topics are still being deleted; retried until done.`,
          };
    } catch (error) {
      return failed('topics', error);
    }
  })();
  const consumerGroups = await (async (): Promise<PurgeStep> => {
    try {
      const groups = await kafka.listGroups(prefix);
      // A group with members left is refused (a conflict): its members lost their ACLs with the
      // workspace, so they leave shortly and a later attempt deletes it. One gone meanwhile is fine.
      for (const group of groups) {
        await kafka.deleteGroups([group]).catch((error: unknown) => {
          if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error;
        });
      }
      const left = (await kafka.listGroups(prefix)).length;
      return left === 0
        ? { done: true, remaining: 0, detail: 'deleted' }
        : {
            done: false,
            remaining: left,
            detail: `${left} consumer groups still have members; retried until they leave and the groups are deleted.`,
          };
    } catch (error) {
      return failed('consumer groups', error);
    }
  })();
  const transactionalIds = await (async (): Promise<PurgeStep> => {
    try {
      const left = (await kafka.listTransactionalIds(prefix)).length;
      return left === 0
        ? { done: true, remaining: 0, detail: 'none left at the broker' }
        : {
            done: false,
            remaining: left,
            detail: `${left} transactional ids remain: Kafka cannot delete them, it expires each after transactional.id.expiration.ms without use (7 days by default). Nobody can use them meanwhile (their ACLs went with the workspace).`,
          };
    } catch (error) {
      return failed('transactional ids', error);
    }
  })();
  return {
    complete: topics.done && consumerGroups.done && transactionalIds.done,
    steps: { topics, consumerGroups, transactionalIds },
  };
}

export interface WorkspacePurger {
  /** One attempt for this workspace now; the report is saved, and the purge finished if complete. */
  purgeNow(workspaceId: string): Promise<PurgeReport>;
  start(): void;
  stop(): Promise<void>;
}

const noBroker: PurgeReport = {
  complete: true,
  steps: {
    topics: { done: true, remaining: 0, detail: 'no broker is configured' },
    consumerGroups: { done: true, remaining: 0, detail: 'no broker is configured' },
    transactionalIds: { done: true, remaining: 0, detail: 'no broker is configured' },
  },
};

export function createWorkspacePurger(deps: {
  store: WorkspacePurgeStorage;
  clock: Clock;
  kafka: () => WorkspaceKafkaData | null;
  intervalMs: number;
  onError: (error: unknown) => void;
}): WorkspacePurger {
  const { store, clock } = deps;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  const purgeNow = async (workspaceId: string): Promise<PurgeReport> => {
    const kafka = deps.kafka();
    const report = kafka ? await purgeWorkspaceData(kafka, workspaceId) : noBroker;
    if (report.complete) await store.finishWorkspacePurge(workspaceId);
    else await store.updateWorkspacePurge(workspaceId, JSON.stringify(report), clock.now());
    return report;
  };

  const tick = async () => {
    for (const purge of await store.listWorkspacePurges()) await purgeNow(purge.workspaceId);
  };

  const schedule = () => {
    timer = setTimeout(() => {
      running = tick()
        .catch(deps.onError)
        .finally(() => {
          running = null;
          if (timer) schedule();
        });
    }, deps.intervalMs);
    timer.unref();
  };

  return {
    purgeNow,
    start() {
      if (timer) return;
      schedule();
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
