import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuditLog } from './audit/audit-log.ts';
import { createAuditReader } from './audit/audit-reader.ts';
import { createAttemptLimiter } from './auth/attempt-limiter.ts';
import { createAuthenticator } from './auth/authenticator.ts';
import { createLoginThrottle } from './auth/login-throttle.ts';
import { createSessionService } from './auth/session-service.ts';
import { type BrokerConnection, createBrokerAccessService } from './broker/broker-access-service.ts';
import { createBrokerTokenService } from './broker/broker-token-service.ts';
import { createKafkaConnection } from './broker/kafka-connection.ts';
import { type Clock, systemClock } from './clock.ts';
import type { PortalConfig } from './config.ts';
import { createJwtChecker, createJwtIssuer } from './crypto/jwt.ts';
import { createPasswordSlots } from './crypto/password-slots.ts';
import { createSecretBox } from './crypto/secret-box.ts';
import { loadSecretKey } from './crypto/secret-key.ts';
import { createSigningKeyRing } from './crypto/signing-keys.ts';
import { createDeploymentService } from './deployments/deployment-service.ts';
import { kubernetesRunnerFromConfig } from './deployments/kubernetes-runner/kubernetes-runner-from-config.ts';
import { createProcessRunner } from './deployments/process-runner/process-runner.ts';
import type { DeploymentRunner } from './deployments/runner.ts';
import { createSigningKeyService } from './keys/signing-key-service.ts';
import { type PortalLogger, silentLogger } from './logger.ts';
import { checkDataDirModes } from './ops/data-dir-modes.ts';
import { createMetrics } from './ops/metrics.ts';
import { createReadiness, type ReadinessCheck } from './ops/readiness.ts';
import { maxPatLifetimeMs } from './pats/pat-rules.ts';
import { createPatService } from './pats/pat-service.ts';
import { createRotationRunExecutor } from './rotation-runs/rotation-run-executor.ts';
import { createRotationRunService } from './rotation-runs/rotation-run-service.ts';
import { createPostgresStore } from './storage/postgres/postgres-store.ts';
import { createSqliteStore } from './storage/sqlite/sqlite-store.ts';
import type { Store } from './storage/storage.ts';
import { createStreamingTokenService } from './tokens/streaming-token-service.ts';
import { createUsageRecorder } from './tokens/usage-recorder.ts';
import { createTopicService } from './topics/topic-service.ts';
import { createUserService } from './users/user-service.ts';
import { createWorkspacePurger } from './workspaces/workspace-purge.ts';
import type { BrokerDescription } from './workspaces/workspace-routes.ts';
import { createWorkspaceService } from './workspaces/workspace-service.ts';

/** PAT JWTs are for this portal only; the broker's JWTs have their own keys and audience. */
export const patAudience = 'streamgate-portal';
export const patIssuer = 'streamgate';

export function openStore(config: PortalConfig): Store {
  if (config.databaseUrl) return createPostgresStore(config.databaseUrl);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const path = join(config.dataDir, 'portal.db');
  // Created 0600 before SQLite opens it (its -wal and -shm files take the same mode).
  if (!existsSync(path)) writeFileSync(path, '', { mode: 0o600, flag: 'wx' });
  return createSqliteStore(path);
}

/** The composition root of everything but HTTP: config → storage → services. */
export async function createPortal(
  config: PortalConfig,
  options: { clock?: Clock; store?: Store; logger?: PortalLogger } = {},
) {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const onBackgroundError = (error: unknown) => logger.error({ err: error }, 'background task failed');
  for (const exposed of checkDataDirModes(config.dataDir)) {
    logger.warn(
      exposed,
      `SECURITY: ${exposed.path} was readable by other users (mode ${exposed.mode}); it is 0600 now. Whoever could read it may have copied it.`,
    );
  }
  const store = options.store ?? openStore(config);
  await store.migrate();
  const box = createSecretBox(loadSecretKey(config.secretKey, config.dataDir));
  const metrics = createMetrics();
  const audit = createAuditLog({ store, clock });
  const usage = createUsageRecorder({ store, clock, onError: onBackgroundError });
  const patKeys = createSigningKeyRing({ store, box, clock, purpose: 'pat' });
  const brokerKeys = createSigningKeyRing({ store, box, clock, purpose: 'broker' });
  const streamingTokens = createStreamingTokenService({ store, box, clock, usage, audit });
  streamingTokens.onRotated(() => metrics.rotations.inc());
  const pats = createPatService({
    store,
    clock,
    audit,
    issuer: createJwtIssuer({ ring: patKeys, clock, issuer: patIssuer, audience: patAudience }),
    checker: createJwtChecker({ ring: patKeys, clock, issuer: patIssuer, audience: patAudience }),
  });
  // One throttle and one bound on scrypt for every password check (logins, password changes).
  const throttle = createLoginThrottle({ clock });
  const passwordSlots = createPasswordSlots();
  const sessions = createSessionService({ store, clock, audit, throttle, passwordSlots });
  const users = createUserService({ store, clock, audit, throttle, passwordSlots });
  const workspaces = createWorkspaceService({
    store,
    clock,
    audit,
    tokens: streamingTokens,
    purgeKafkaData: (workspaceId) => purger.purgeNow(workspaceId),
  });
  const readinessChecks: ReadinessCheck[] = [
    {
      name: 'database',
      critical: true,
      check: async () => {
        await store.ping();
        return store.engine;
      },
    },
  ];
  const brokerJwts = createJwtIssuer({
    ring: brokerKeys,
    clock,
    issuer: config.publicUrl,
    audience: config.brokerAudience,
    reuseWithinSecond: true,
  });
  const brokerTokens = createBrokerTokenService({
    streamingTokens,
    issuer: brokerJwts,
    ttlSeconds: config.brokerJwtTtlSeconds,
    requestLimiter: createAttemptLimiter({ limit: config.tokenRequestsPerMinute, windowMs: 60_000, clock }),
    failureLimiter: createAttemptLimiter({ limit: 20, windowMs: 60_000, clock }),
    onMinted: () => metrics.brokerTokensMinted.inc(),
  });
  const kafka = createKafkaConnection({ config, store, logger });
  streamingTokens.onRotated(() => kafka.reconcileSoon());
  workspaces.onChanged(() => kafka.reconcileSoon());
  readinessChecks.push(...kafka.readinessChecks);
  const purger = createWorkspacePurger({
    store,
    clock,
    kafka: kafka.workspaceData,
    intervalMs: config.kafka.reconcileIntervalMs,
    onError: (error) => logger.warn({ err: error }, 'workspace Kafka data purge failed; retrying'),
  });
  const topics = createTopicService({
    store,
    clock,
    audit,
    broker: kafka.topicBroker,
    defaultReplicationFactor: config.kafka.defaultReplicationFactor,
    limits: config.topicLimits,
  });
  const runner: DeploymentRunner | null =
    config.runner === 'process'
      ? createProcessRunner({
          store,
          box,
          clock,
          logger,
          options: {
            logsDir: join(config.dataDir, 'deployments'),
            logMaxBytes: config.deployments.logMaxBytes,
            portalUrl: config.publicUrl,
            readyMs: config.deployments.readyMs,
            stopGraceMs: config.deployments.stopGraceMs,
          },
        })
      : config.runner === 'kubernetes'
        ? kubernetesRunnerFromConfig({ store, box, clock, logger, config })
        : null;
  const deployments = createDeploymentService({ store, box, clock, audit, runner: () => runner });
  const rotationRunExecutor = createRotationRunExecutor({
    store,
    clock,
    audit,
    usage,
    streamingTokens,
    cutOff: () => kafka.cutOff(),
    pokeRunner: () => runner?.poke(),
    logger,
  });
  const rotationRuns = createRotationRunService({
    store,
    box,
    clock,
    audit,
    usage,
    defaultQuietSeconds: config.brokerJwtTtlSeconds,
    pokeExecutor: () => rotationRunExecutor.poke(),
  });
  const brokerConnection = (): BrokerConnection | null =>
    config.kafka.bootstrap
      ? {
          bootstrap: config.kafka.bootstrap,
          securityProtocol: config.kafka.securityProtocol,
          tokenEndpointUrl: `${config.publicUrl}/oauth/token`,
          caCertPem: config.kafka.caCertPem,
          plainLogins: config.kafka.plain,
        }
      : null;
  /** A streaming-token caller's own PLAIN login goes in, unless STREAMGATE_KAFKA_PLAIN=off. */
  const brokerDescription = (
    plainLogin: { username: string; password: string } | null,
  ): BrokerDescription => {
    const connection = {
      address: config.kafka.bootstrap ?? '',
      securityMode: config.kafka.securityProtocol === 'SASL_SSL' ? ('SaslSsl' as const) : ('Sasl' as const),
      hasCertificate: config.kafka.caCertPem !== null,
    };
    return plainLogin && config.kafka.plain && config.kafka.bootstrap
      ? { ...connection, saslMechanism: 'Plain', ...plainLogin }
      : { ...connection, saslMechanism: 'OAuthBearer' };
  };

  return {
    config,
    clock,
    store,
    box,
    metrics,
    audit,
    usage,
    patKeys,
    brokerKeys,
    streamingTokens,
    pats,
    sessions,
    users,
    workspaces,
    auditReader: createAuditReader({ store }),
    brokerTokens,
    brokerAccess: createBrokerAccessService({ connection: brokerConnection }),
    signingKeys: createSigningKeyService({
      rings: { pat: patKeys, broker: brokerKeys },
      longestLifetimeSeconds: { pat: maxPatLifetimeMs / 1000, broker: config.brokerJwtTtlSeconds },
      audit,
      clock,
    }),
    kafka,
    topics,
    runner,
    deployments,
    rotationRuns,
    authenticate: createAuthenticator({ store, sessions, streamingTokens, pats }),
    readinessChecks,
    readiness: createReadiness(readinessChecks),
    brokerDescription,
    /** First run: an organisation admin and a `dev` workspace. */
    async bootstrap() {
      // Signing keys exist before anyone asks: the broker reads the JWKS once at start-up.
      await brokerKeys.current();
      await patKeys.current();
      const admin = await users
        .bootstrapAdmin(config.adminEmail, config.adminPassword)
        .catch(async (error: unknown) => {
          // Another instance bootstrapped the same new database first.
          if ((await store.countUsers()) > 0) return null;
          throw error;
        });
      await workspaces.ensureWorkspace('dev', 'Development');
      return admin;
    },
    start(options: { reconcile?: boolean } = {}) {
      usage.start();
      if (options.reconcile ?? true) {
        kafka.start();
        purger.start();
      }
      runner?.start().catch(onBackgroundError);
      rotationRunExecutor.start();
    },
    /**
     * `stopDeployments` (the default) stops the deployments' instances too; they start again
     * with the portal. Without it they keep running, and the next portal adopts them.
     */
    async stop(options: { stopDeployments?: boolean } = {}) {
      await rotationRunExecutor.stop();
      await runner?.stop({ stopDeployments: options.stopDeployments ?? true });
      await purger.stop();
      await kafka.stop();
      await usage.stop();
      await store.close();
    },
  };
}

export type Portal = Awaited<ReturnType<typeof createPortal>>;
