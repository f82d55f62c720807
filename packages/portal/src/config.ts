import { isIP } from 'node:net';
import { resolve } from 'node:path';

/** Everything the portal reads from its environment, parsed and checked once at start-up. */
export interface PortalConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  adminEmail: string | null;
  adminPassword: string | null;
  /** Where clients reach the portal: the issuer of broker JWTs and the token endpoint's base. */
  publicUrl: string;
  /** HTTPS served by the portal itself (STREAMGATE_TLS_CERT / _KEY); null: plain HTTP (or a TLS proxy in front). */
  tls: { certPath: string; keyPath: string } | null;
  /** base64 of 32 bytes; absent: generated into the data dir. */
  secretKey: string | null;
  kafka: {
    bootstrap: string | null;
    adminUser: string | null;
    adminPassword: string | null;
    securityProtocol: 'SASL_PLAINTEXT' | 'SASL_SSL';
    caCertPem: string | null;
    /** How often the broker's ACLs are compared with the database, besides after each change. */
    reconcileIntervalMs: number;
    defaultReplicationFactor: number;
    /**
     * Whether streaming-token callers get PLAIN credentials (their own token) in the workspace
     * object, for the legacy QuixStreamingClient; the broker must have PLAIN on (kafka/README.md).
     */
    plain: boolean;
  };
  /** Per-workspace topic limits, so one workspace (or a leaked streaming token) cannot fill the broker. */
  topicLimits: TopicLimits;
  brokerJwtTtlSeconds: number;
  brokerAudience: string;
  /** Token endpoint requests per client id (workspace) per minute, per instance. */
  tokenRequestsPerMinute: number;
  /**
   * Whose X-Forwarded-For to believe (the client address keys the rate limits): nobody (false),
   * these proxy addresses or CIDRs, or this many proxy hops in front of the portal.
   */
  trustProxy: false | string[] | number;
  logLevel: string;
  /**
   * Who runs deployments: 'process' (child processes of this portal), 'kubernetes' (Deployments
   * in a namespace, through the API), or nobody (null).
   */
  runner: 'process' | 'kubernetes' | null;
  kubernetes: {
    /** STREAMGATE_KUBE_NAMESPACE; null: the pod's own namespace, else the kubeconfig context's. */
    namespace: string | null;
    /** KUBECONFIG; null: the in-cluster service account. */
    kubeconfig: string | null;
  };
  deployments: {
    /** An instance counts as ready once it has stayed up this long. */
    readyMs: number;
    /** SIGTERM, then SIGKILL after this long. */
    stopGraceMs: number;
    /** A deployment's log file is rotated past this size (one older file is kept). */
    logMaxBytes: number;
  };
}

export interface TopicLimits {
  /** Topics per workspace. */
  topicsPerWorkspace: number;
  /** Partitions per topic. */
  partitionsPerTopic: number;
  /** The longest time retention (minutes); unlimited retention (-1) is refused. -1: no ceiling. */
  retentionMinutes: number;
  /** The largest size retention per partition (bytes); unlimited (-1) is refused. -1: no ceiling. */
  retentionBytes: number;
}

export class ConfigError extends Error {}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/** A positive ceiling, or -1 for none. */
function ceiling(name: string, raw: string | undefined, fallback: number): number {
  if (raw === '-1') return -1;
  return integer(name, raw, fallback, 1, Number.MAX_SAFE_INTEGER);
}

function onOff(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new ConfigError(`${name} must be 'on' or 'off', got '${raw}'`);
}

export function loadConfig(
  env: NodeJS.ProcessEnv,
  overrides: { port?: number; dataDir?: string } = {},
): PortalConfig {
  const port = overrides.port ?? integer('STREAMGATE_PORT', env.STREAMGATE_PORT, 8700, 0, 65535);
  const host = env.STREAMGATE_HOST || '127.0.0.1';
  const dataDir = resolve(overrides.dataDir ?? (env.STREAMGATE_DATA_DIR || './.streamgate'));
  const databaseUrl = env.STREAMGATE_DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      'STREAMGATE_DATABASE_URL must be a postgres:// URL (leave it unset for SQLite in the data dir)',
    );
  }
  const tls = tlsFrom(env.STREAMGATE_TLS_CERT, env.STREAMGATE_TLS_KEY);
  const publicUrl = (env.STREAMGATE_PUBLIC_URL || `${tls ? 'https' : 'http'}://${host}:${port}`).replace(
    /\/+$/,
    '',
  );
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    adminEmail: env.STREAMGATE_ADMIN_EMAIL || null,
    adminPassword: env.STREAMGATE_ADMIN_PASSWORD || null,
    publicUrl,
    tls,
    secretKey: env.STREAMGATE_SECRET_KEY || null,
    kafka: {
      bootstrap: env.STREAMGATE_KAFKA_BOOTSTRAP || null,
      adminUser: env.STREAMGATE_KAFKA_ADMIN_USER || null,
      adminPassword: env.STREAMGATE_KAFKA_ADMIN_PASSWORD || null,
      securityProtocol: env.STREAMGATE_KAFKA_SECURITY_PROTOCOL === 'SASL_SSL' ? 'SASL_SSL' : 'SASL_PLAINTEXT',
      caCertPem: env.STREAMGATE_KAFKA_CA_PEM || null,
      reconcileIntervalMs: integer(
        'STREAMGATE_KAFKA_RECONCILE_MS',
        env.STREAMGATE_KAFKA_RECONCILE_MS,
        30_000,
        1000,
        3_600_000,
      ),
      defaultReplicationFactor: integer(
        'STREAMGATE_KAFKA_REPLICATION_FACTOR',
        env.STREAMGATE_KAFKA_REPLICATION_FACTOR,
        1,
        1,
        10,
      ),
      plain: onOff('STREAMGATE_KAFKA_PLAIN', env.STREAMGATE_KAFKA_PLAIN, true),
    },
    topicLimits: {
      topicsPerWorkspace: integer(
        'STREAMGATE_TOPICS_PER_WORKSPACE',
        env.STREAMGATE_TOPICS_PER_WORKSPACE,
        50,
        1,
        100_000,
      ),
      partitionsPerTopic: integer(
        'STREAMGATE_TOPIC_MAX_PARTITIONS',
        env.STREAMGATE_TOPIC_MAX_PARTITIONS,
        12,
        1,
        1000,
      ),
      retentionMinutes: ceiling(
        'STREAMGATE_TOPIC_MAX_RETENTION_MINUTES',
        env.STREAMGATE_TOPIC_MAX_RETENTION_MINUTES,
        43_200,
      ),
      retentionBytes: ceiling(
        'STREAMGATE_TOPIC_MAX_RETENTION_BYTES',
        env.STREAMGATE_TOPIC_MAX_RETENTION_BYTES,
        1_073_741_824,
      ),
    },
    brokerJwtTtlSeconds: integer(
      'STREAMGATE_BROKER_JWT_TTL_SECONDS',
      env.STREAMGATE_BROKER_JWT_TTL_SECONDS,
      600,
      10,
      3600,
    ),
    brokerAudience: env.STREAMGATE_BROKER_AUDIENCE || 'kafka',
    tokenRequestsPerMinute: integer(
      'STREAMGATE_TOKEN_REQUESTS_PER_MINUTE',
      env.STREAMGATE_TOKEN_REQUESTS_PER_MINUTE,
      1200,
      1,
      10_000_000,
    ),
    trustProxy: trustProxyFrom(env.STREAMGATE_TRUST_PROXY),
    logLevel: env.STREAMGATE_LOG_LEVEL || 'info',
    runner: runnerFrom(env.STREAMGATE_RUNNER),
    kubernetes: {
      namespace: namespaceFrom(env.STREAMGATE_KUBE_NAMESPACE),
      kubeconfig: env.KUBECONFIG || null,
    },
    deployments: {
      readyMs:
        1000 *
        integer('STREAMGATE_DEPLOYMENT_READY_SECONDS', env.STREAMGATE_DEPLOYMENT_READY_SECONDS, 2, 0, 300),
      stopGraceMs:
        1000 *
        integer(
          'STREAMGATE_DEPLOYMENT_STOP_GRACE_SECONDS',
          env.STREAMGATE_DEPLOYMENT_STOP_GRACE_SECONDS,
          10,
          1,
          600,
        ),
      logMaxBytes: integer(
        'STREAMGATE_DEPLOYMENT_LOG_MAX_BYTES',
        env.STREAMGATE_DEPLOYMENT_LOG_MAX_BYTES,
        5 * 1024 * 1024,
        4096,
        1024 * 1024 * 1024,
      ),
    },
  };
}

/** Fastify's `trustProxy`, but never "everyone": a forged X-Forwarded-For must not pick the address. */
export function trustProxyFrom(raw: string | undefined): false | string[] | number {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true') {
    throw new ConfigError(
      "STREAMGATE_TRUST_PROXY=true would believe X-Forwarded-For from anyone (so anyone could pick the address the rate limits see): give your proxies' addresses or CIDRs (e.g. 10.0.0.5,10.1.0.0/16) or the number of proxy hops (e.g. 1)",
    );
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || hops > 10)
      throw new ConfigError(`STREAMGATE_TRUST_PROXY as a hop count must be from 1 to 10, got '${raw}'`);
    return hops;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/');
    const version = isIP(address ?? '');
    const prefixOk =
      prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 6 ? 128 : 32));
    if (version === 0 || !prefixOk || rest.length > 0) {
      throw new ConfigError(
        `STREAMGATE_TRUST_PROXY must be 'false', proxy addresses or CIDRs separated by commas, or a hop count; '${entry}' is none of these`,
      );
    }
  }
  return entries;
}

function tlsFrom(certPath: string | undefined, keyPath: string | undefined) {
  if (!certPath && !keyPath) return null;
  if (!certPath || !keyPath) {
    throw new ConfigError(
      'STREAMGATE_TLS_CERT and STREAMGATE_TLS_KEY go together: the PEM files of the certificate and of its private key',
    );
  }
  return { certPath: resolve(certPath), keyPath: resolve(keyPath) };
}

function runnerFrom(raw: string | undefined): 'process' | 'kubernetes' | null {
  if (raw === undefined || raw === '' || raw === 'none') return null;
  if (raw === 'process' || raw === 'kubernetes') return raw;
  throw new ConfigError(
    `STREAMGATE_RUNNER must be 'process' (run deployments as child processes of the portal), 'kubernetes' (as Deployments in a namespace) or 'none', got '${raw}'`,
  );
}

function namespaceFrom(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(raw))
    throw new ConfigError(`STREAMGATE_KUBE_NAMESPACE must be a Kubernetes namespace name, got '${raw}'`);
  return raw;
}
