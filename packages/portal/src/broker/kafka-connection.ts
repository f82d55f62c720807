import type { PortalConfig } from '../config.ts';
import type { PortalLogger } from '../logger.ts';
import type { ReadinessCheck } from '../ops/readiness.ts';
import type { TokenStorage } from '../storage/storage.ts';
import type { TopicBroker } from '../topics/topic-broker.ts';
import type { WorkspaceKafkaData } from '../workspaces/workspace-purge.ts';
import { createAclReconciler } from './acl-reconciler.ts';
import { brokerPrincipalOf } from './broker-principal.ts';
import { createKafkaAdmin, type KafkaAdminOptions } from './kafka-admin.ts';
import { KafkaTopicExistsError, KafkaTopicNotFoundError } from './kafka-errors.ts';

/**
 * The portal's side of Kafka: one admin connection (SCRAM, the portal's own principal), the
 * ACL reconciler that derives the broker's ACLs from the active tokens in the database, and
 * the topic operations. Without STREAMGATE_KAFKA_BOOTSTRAP all of it is absent.
 */
export function createKafkaConnection(deps: {
  config: PortalConfig;
  store: TokenStorage;
  logger: PortalLogger;
}) {
  const { config, store } = deps;
  const { bootstrap, adminUser, adminPassword } = config.kafka;
  if (!bootstrap || !adminUser || !adminPassword) {
    return {
      topicBroker: (): TopicBroker | null => null,
      workspaceData: (): WorkspaceKafkaData | null => null,
      reconcileSoon() {},
      async reconcileNow() {
        return null;
      },
      async cutOff(): Promise<'done' | 'pending' | null> {
        return null;
      },
      readinessChecks: [] as ReadinessCheck[],
      start() {},
      async stop() {},
    };
  }

  const admin = createKafkaAdmin(kafkaAdminOptions(config.kafka));
  const reconciler = createAclReconciler({
    admin,
    intervalMs: config.kafka.reconcileIntervalMs,
    listActivePrincipals: async () =>
      (await store.listActiveTokens()).map((token) => ({
        principal: brokerPrincipalOf(token.id),
        workspaceId: token.workspaceId,
      })),
    logger: {
      info: (message, details) => deps.logger.info(details ?? {}, message),
      warn: (message, details) => deps.logger.warn(details ?? {}, message),
    },
  });

  let started = false;
  // The admin's errors are already the portal's (kafka-errors.ts): passed on as they are.
  const topicBroker: TopicBroker = {
    async createTopic(input) {
      try {
        await admin.createTopic(input);
      } catch (error) {
        // Created outside the portal, or by an earlier attempt: adopt it.
        if (!(error instanceof KafkaTopicExistsError)) throw error;
      }
    },
    async deleteTopic(name) {
      try {
        await admin.deleteTopic(name);
      } catch (error) {
        if (!(error instanceof KafkaTopicNotFoundError)) throw error;
      }
    },
  };

  const workspaceData: WorkspaceKafkaData = {
    listTopics: (prefix) => admin.listTopics(prefix),
    async deleteTopic(name) {
      try {
        await admin.deleteTopic(name);
      } catch (error) {
        if (!(error instanceof KafkaTopicNotFoundError)) throw error;
      }
    },
    listGroups: (prefix) => admin.listGroups(prefix),
    deleteGroups: (groups) => admin.deleteGroups(groups),
    listTransactionalIds: (prefix) => admin.listTransactionalIds(prefix),
  };

  return {
    topicBroker: (): TopicBroker | null => topicBroker,
    /** A deleted workspace's topics, groups and transactional ids (workspaces/workspace-purge.ts). */
    workspaceData: (): WorkspaceKafkaData | null => workspaceData,
    /** After a rotation or a workspace change: converge now, without making the caller wait. */
    reconcileSoon() {
      // Before start() there is nothing to do: start() reconciles everything first.
      // A failure is logged by the reconciler, which retries with backoff within seconds.
      if (started) reconciler.reconcileNow().catch(() => {});
    },
    reconcileNow: () => reconciler.reconcileNow(),
    /**
     * After a rotation: whether the broker already refuses what the database deactivated. Waits
     * for one reconcile that reads the database after the call (so it sees the rotation: a new
     * run, or the one already describing the broker's ACLs), at most
     * `waitMs`; 'pending' means that run failed or is still going, and the reconciler retries
     * with backoff until the ACLs match.
     */
    async cutOff(waitMs = 10_000): Promise<'done' | 'pending'> {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'pending'>((resolve) => {
        timer = setTimeout(() => resolve('pending'), waitMs);
      });
      try {
        return await Promise.race([
          reconciler.reconcileNow().then(
            () => 'done' as const,
            () => 'pending' as const,
          ),
          late,
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    readinessChecks: [
      {
        name: 'kafka-acls',
        // Not ready until the broker answered and the ACLs matched the database once: a client
        // started with the stack would otherwise be refused on its first topic. After that, a
        // failed reconcile is reported (ok: false) but the portal stays ready: it still serves
        // rotations and revocations, which the reconciler applies when the broker is back.
        get critical() {
          return reconciler.lastReconciledAt === null;
        },
        async check() {
          if (reconciler.lastError) throw reconciler.lastError;
          if (!reconciler.lastReconciledAt)
            throw new Error('not reconciled yet (the broker has not answered)');
          return `reconciled at ${reconciler.lastReconciledAt.toISOString()}`;
        },
      },
    ] as ReadinessCheck[],
    start() {
      started = true;
      reconciler.start();
    },
    async stop() {
      await reconciler.stop();
      await admin.close();
    },
  };
}

/**
 * The admin client's connection settings, from the same configuration that clients get: SASL_SSL
 * means TLS (verifying the broker against STREAMGATE_KAFKA_CA_PEM when given, else the system's
 * CAs), SASL_PLAINTEXT means none.
 */
export function kafkaAdminOptions(kafka: PortalConfig['kafka']): KafkaAdminOptions {
  const { bootstrap, adminUser, adminPassword } = kafka;
  if (!bootstrap || !adminUser || !adminPassword) {
    throw new TypeError('The Kafka admin needs a bootstrap address, a user and a password.');
  }
  return {
    bootstrap: bootstrap
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean),
    username: adminUser,
    password: adminPassword,
    mechanism: 'SCRAM-SHA-512',
    ...(kafka.securityProtocol === 'SASL_SSL'
      ? {
          tls: kafka.caCertPem
            ? { ca: kafka.caCertPem, rejectUnauthorized: true }
            : { rejectUnauthorized: true },
        }
      : {}),
  };
}
