// server.properties for a KRaft node (broker + controller in one JVM) that Streamgate runs: a
// cluster of one, or one node of a loopback cluster (kafka-cluster.ts).
// Pure: kafka-server.ts decides ports and paths, this file only knows what Kafka needs.

import { clientListenerTlsEntries } from './tls-listener.ts';

/** The class Kafka loads to check PLAIN logins (kafka/plain-plugin/src). */
export const plainCallbackHandlerClass = 'dev.streamgate.kafka.PortalPlainCallbackHandler';
/** Kafka's JWT validation plus the rule that a JWT's subject is a streaming token's principal (`sgt-...`). */
export const jwtCallbackHandlerClass = 'dev.streamgate.kafka.StreamingTokenJwtCallbackHandler';
/** The prefix of every streaming token's principal; no other login may carry it, no JWT may lack it. */
export const streamingPrincipalPrefix = 'sgt-';

export interface BrokerSettings {
  /** Address the SASL client listener binds to. */
  host: string;
  /** Address written into the metadata that clients are redirected to (differs from host for 0.0.0.0). */
  advertisedHost: string;
  clientPort: number;
  controllerPort: number;
  internalPort: number;
  /** Where partitions and the KRaft metadata log live. */
  logDir: string;
  jwksUrl: string;
  issuer: string;
  audience: string;
  adminUser: string;
  /**
   * The broker's own principal on the controller and inter-broker listeners (SASL/PLAIN checked
   * against this file alone, never against the portal), and its password: random per start, so
   * it lives only in this server.properties (written 0600).
   */
  internalUser: string;
  internalPassword: string;
  /** Longest a SASL session lives before the client must re-authenticate (also bounded by JWT exp). */
  reauthMs: number;
  /** SASL/PLAIN logins with streaming tokens, checked by the portal (absent: no PLAIN). */
  plain?: PlainSettings | null;
  /** SASL_SSL on the client listener with this PEM keystore (tls-listener.ts); absent: SASL_PLAINTEXT. */
  clientTls?: { keystorePath: string } | null;
  /** One node of a cluster of combined nodes (absent: a cluster of one, node 1, replication 1). */
  cluster?: ClusterMembership | null;
}

/** This node's place in a cluster whose nodes are all brokers and controller voters. */
export interface ClusterMembership {
  nodeId: number;
  /** Every voter, this node included: its node id and controller port on 127.0.0.1. */
  voters: readonly { nodeId: number; controllerPort: number }[];
  /** default.replication.factor, and that of the internal topics. */
  replicationFactor: number;
  /** min.insync.replicas, and that of the internal topics' writes. */
  minInsyncReplicas: number;
}

export interface PlainSettings {
  /** The portal's token endpoint (`<portal>/oauth/token`), which the plugin asks. */
  tokenEndpointUrl: string;
  /** How long the plugin trusts the portal's answer about one login. */
  verdictCacheMs: number;
  /**
   * connections.max.reauth.ms for PLAIN sessions alone. A PLAIN login carries no expiry, so this
   * is what bounds how long an open connection of a deactivated token lives.
   */
  reauthMs: number;
}

/** Kafka's listener names are upper-case here and lower-case in `listener.name.<name>.` keys. */
const client = 'CLIENT';
const controller = 'CONTROLLER';
const internal = 'INTERNAL';

export function renderServerProperties(s: BrokerSettings): string {
  for (const [key, value] of Object.entries(s)) {
    // A line break in a value would let it inject further properties.
    if (typeof value === 'string' && /[\r\n\\]/.test(value)) {
      throw new TypeError(`Broker setting ${key} must not contain line breaks or backslashes.`);
    }
  }
  if (
    s.adminUser.startsWith(streamingPrincipalPrefix) ||
    s.internalUser.startsWith(streamingPrincipalPrefix)
  ) {
    throw new TypeError(
      `The admin and internal principals must not start with "${streamingPrincipalPrefix}" (streaming tokens' principals).`,
    );
  }
  if (s.adminUser === s.internalUser) throw new TypeError('The admin and internal principals must differ.');
  if (!/^[A-Za-z0-9._-]+$/.test(s.internalUser) || !/^[A-Za-z0-9._-]+$/.test(s.internalPassword)) {
    // Both go into a JAAS line inside double quotes.
    throw new TypeError(
      'The internal principal and password may only contain letters, digits, ".", "_" and "-".',
    );
  }
  if (s.plain && !/^https?:\/\/[^\s"';]+$/.test(s.plain.tokenEndpointUrl)) {
    // It goes into a JAAS option inside double quotes.
    throw new TypeError('The PLAIN token endpoint must be an http(s) URL without quotes, spaces or ";".');
  }
  const oauth = `listener.name.${client.toLowerCase()}.oauthbearer.`;
  const scram = `listener.name.${client.toLowerCase()}.scram-sha-512.`;
  const plain = `listener.name.${client.toLowerCase()}.plain.`;
  const entries: [string, string | number][] = [
    ['process.roles', 'broker,controller'],
    ...quorumEntries(s),
    // The controller and inter-broker listeners authenticate too (SASL/PLAIN with the broker's own
    // secret): a PLAINTEXT listener would make every local process User:ANONYMOUS, which KRaft
    // needs as a super user (registration needs CLUSTER_ACTION). Loopback only all the same.
    [
      'listeners',
      `${client}://${s.host}:${s.clientPort},${controller}://127.0.0.1:${s.controllerPort},${internal}://127.0.0.1:${s.internalPort}`,
    ],
    [
      'advertised.listeners',
      `${client}://${s.advertisedHost}:${s.clientPort},${internal}://127.0.0.1:${s.internalPort}`,
    ],
    [
      'listener.security.protocol.map',
      `${client}:${s.clientTls ? 'SASL_SSL' : 'SASL_PLAINTEXT'},${controller}:SASL_PLAINTEXT,${internal}:SASL_PLAINTEXT`,
    ],
    ['controller.listener.names', controller],
    ['inter.broker.listener.name', internal],
    ...internalEntries(s),
    ['log.dirs', s.logDir],

    // Streaming tokens authenticate with a JWT minted by the portal (OAUTHBEARER, validated against
    // the portal's JWKS); the portal itself uses SCRAM. The JWKS URL must also be allowed through
    // the JVM property org.apache.kafka.sasl.oauthbearer.allowed.urls (set by kafka-server.ts).
    [
      `listener.name.${client.toLowerCase()}.sasl.enabled.mechanisms`,
      s.plain ? 'OAUTHBEARER,SCRAM-SHA-512,PLAIN' : 'OAUTHBEARER,SCRAM-SHA-512',
    ],
    [
      `${oauth}sasl.jaas.config`,
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required ;',
    ],
    [`${oauth}sasl.server.callback.handler.class`, jwtCallbackHandlerClass],
    [`${oauth}sasl.oauthbearer.jwks.endpoint.url`, s.jwksUrl],
    [`${oauth}sasl.oauthbearer.expected.issuer`, s.issuer],
    [`${oauth}sasl.oauthbearer.expected.audience`, s.audience],
    [`${scram}sasl.jaas.config`, 'org.apache.kafka.common.security.scram.ScramLoginModule required ;'],
    // Sessions are re-checked this often even when a JWT lives longer, so a connection cannot
    // outlive its token's validity by much (KIP-368).
    ['connections.max.reauth.ms', s.reauthMs],
    ...plainEntries(plain, s.plain),
    ...(s.clientTls ? clientListenerTlsEntries(client, s.clientTls.keystorePath) : []),

    ['authorizer.class.name', 'org.apache.kafka.metadata.authorizer.StandardAuthorizer'],
    ['allow.everyone.if.no.acl.found', 'false'],
    // No User:ANONYMOUS: no listener lets anyone in unauthenticated.
    ['super.users', `User:${s.internalUser};User:${s.adminUser}`],

    // Topics exist only when the portal creates them.
    ['auto.create.topics.enable', 'false'],
    ['num.partitions', 1],
    ...replicationEntries(s.cluster?.replicationFactor ?? 1, s.cluster?.minInsyncReplicas ?? 1),
    // One broker gains nothing from 50 coordinator partitions; fewer make the first consumer
    // group and the first transaction start faster.
    ['offsets.topic.num.partitions', 5],
    ['transaction.state.log.num.partitions', 5],
    ['group.initial.rebalance.delay.ms', 0],
  ];
  const lines = entries.map(([key, value]) => `${key}=${value}`);
  return `# Written by Streamgate (kafka/kafka-server.ts) on every start; edits are overwritten.\n${lines.join('\n')}\n`;
}

/**
 * Alone, the node is the sole voter of a dynamic quorum (formatted with --standalone). In a
 * cluster the voters are static (`controller.quorum.voters`, formatted without a voter flag):
 * every node knows every controller from its configuration, so a node killed and restarted, or
 * the whole cluster started at once, needs no membership change. Never both keys (Kafka refuses).
 */
function quorumEntries(s: BrokerSettings): [string, string | number][] {
  if (!s.cluster) {
    return [
      ['node.id', 1],
      ['controller.quorum.bootstrap.servers', `127.0.0.1:${s.controllerPort}`],
    ];
  }
  const { nodeId, voters } = s.cluster;
  const self = voters.find((voter) => voter.nodeId === nodeId);
  if (!self || self.controllerPort !== s.controllerPort) {
    throw new TypeError(`Node ${nodeId} must be one of the voters, on its own controller port.`);
  }
  if (new Set(voters.map((voter) => voter.nodeId)).size !== voters.length) {
    throw new TypeError('Voter node ids must differ.');
  }
  return [
    ['node.id', nodeId],
    [
      'controller.quorum.voters',
      voters.map((voter) => `${voter.nodeId}@127.0.0.1:${voter.controllerPort}`).join(','),
    ],
  ];
}

/**
 * New topics and the internal ones (consumer offsets, transactions, share groups) get the same
 * replication. With three nodes, 3 and 2: a write acknowledged with acks=all is on at least two
 * nodes, and one node may be down without stopping writes.
 */
function replicationEntries(factor: number, minInsync: number): [string, number][] {
  if (!Number.isInteger(factor) || !Number.isInteger(minInsync) || minInsync < 1 || minInsync > factor) {
    throw new TypeError(
      'The replication factor and min.insync.replicas must be integers, 1 <= min <= factor.',
    );
  }
  return [
    ['default.replication.factor', factor],
    ['min.insync.replicas', minInsync],
    ['offsets.topic.replication.factor', factor],
    ['transaction.state.log.replication.factor', factor],
    ['transaction.state.log.min.isr', minInsync],
    ['share.coordinator.state.topic.replication.factor', factor],
    ['share.coordinator.state.topic.min.isr', minInsync],
  ];
}

/**
 * SASL/PLAIN on the controller and inter-broker listeners, checked by Kafka's own PLAIN handler
 * against the single user in the JAAS line (the same line gives the broker's client side its
 * login). Measured on 4.4 in combined mode: the controller listener accepts PLAIN this way; SCRAM
 * cannot work there, as its credentials live in the metadata log the controller serves.
 */
function internalEntries(s: BrokerSettings): [string, string | number][] {
  const jaas = `org.apache.kafka.common.security.plain.PlainLoginModule required username="${s.internalUser}" password="${s.internalPassword}" user_${s.internalUser}="${s.internalPassword}";`;
  return [controller, internal]
    .flatMap((name): [string, string][] => [
      [`listener.name.${name.toLowerCase()}.sasl.enabled.mechanisms`, 'PLAIN'],
      [`listener.name.${name.toLowerCase()}.plain.sasl.jaas.config`, jaas],
    ])
    .concat([
      ['sasl.mechanism.controller.protocol', 'PLAIN'],
      ['sasl.mechanism.inter.broker.protocol', 'PLAIN'],
    ]);
}

/**
 * PLAIN for clients that cannot speak OAUTHBEARER (the legacy QuixStreamingClient's librdkafka
 * 1.9.2): username `sgt-<tokenId>`, password the streaming token, checked by Streamgate's
 * callback handler (kafka/plain-plugin), which asks the portal. The principal is the username,
 * so the token's ACLs apply unchanged.
 */
function plainEntries(prefix: string, plain: PlainSettings | null | undefined): [string, string | number][] {
  if (!plain) return [];
  const options = [
    `streamgate.token.endpoint.url="${plain.tokenEndpointUrl}"`,
    `streamgate.verdict.cache.ms="${plain.verdictCacheMs}"`,
  ];
  return [
    [
      `${prefix}sasl.jaas.config`,
      `org.apache.kafka.common.security.plain.PlainLoginModule required ${options.join(' ')};`,
    ],
    [`${prefix}sasl.server.callback.handler.class`, plainCallbackHandlerClass],
    // Only PLAIN sessions are this short: librdkafka before 2.2 cannot re-authenticate, so the
    // broker closes its connection at the next request after expiry and the client reconnects
    // (logging in again, which the plugin checks).
    [`${prefix}connections.max.reauth.ms`, plain.reauthMs],
  ];
}
