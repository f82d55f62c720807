// Steady load for broker-failure tests: idempotent producers (acks=all) that number their messages
// and record every acknowledgement, with broker JWTs minted at the portal's token endpoint and
// held (like @streamgate/client does) through a portal outage while they are valid.
import { setTimeout as sleep } from 'node:timers/promises';
import { ProduceAcks, Producer, saslOAuthBearer, stringSerializers } from '@platformatic/kafka';
import { kafkaErrorIds } from '../../../kafka/test-support.ts';

export interface MintResult {
  status: number;
  jwt: string | null;
  error: string | null;
}

/** One client-credentials request, as librdkafka sends it; status 0 when the portal does not answer. */
export async function mintBrokerJwt(
  portalUrl: string,
  workspaceId: string,
  token: string,
): Promise<MintResult> {
  try {
    const response = await fetch(`${portalUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${workspaceId}:${token}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.timeout(5000),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; error?: string };
    return { status: response.status, jwt: body.access_token ?? null, error: body.error ?? null };
  } catch (error) {
    return { status: 0, jwt: null, error: String((error as Error).cause ?? error) };
  }
}

/** A broker JWT source: minted when missing or past 80 % of its life, the held one while the portal is away. */
export class PortalJwt {
  readonly #portalUrl: string;
  readonly #workspaceId: string;
  readonly #token: string;
  #jwt: string | null = null;
  #refreshAt = 0;
  #expiresAt = 0;
  /** Calls by the Kafka client: one per (re-)authentication of a connection. */
  requests = 0;
  mints = 0;
  failedMints = 0;
  /** Requests answered with the held JWT because a mint failed. */
  heldThroughFailure = 0;

  /** `portalUrl` stays the same across portal restarts (same port). */
  constructor(portalUrl: string, workspaceId: string, token: string) {
    this.#portalUrl = portalUrl;
    this.#workspaceId = workspaceId;
    this.#token = token;
  }

  async get(): Promise<string> {
    this.requests++;
    if (this.#jwt && Date.now() < this.#refreshAt) return this.#jwt;
    const minted = await mintBrokerJwt(this.#portalUrl, this.#workspaceId, this.#token);
    if (minted.jwt) {
      const { exp, iat } = JSON.parse(Buffer.from(minted.jwt.split('.')[1]!, 'base64url').toString()) as {
        exp: number;
        iat: number;
      };
      this.mints++;
      this.#jwt = minted.jwt;
      this.#expiresAt = exp * 1000;
      this.#refreshAt = Date.now() + (exp - iat) * 800;
      return minted.jwt;
    }
    this.failedMints++;
    if (this.#jwt && Date.now() < this.#expiresAt - 5000) {
      this.heldThroughFailure++;
      return this.#jwt;
    }
    throw new Error(`no broker JWT: the token endpoint answered ${minted.status} ${minted.error ?? ''}`);
  }
}

export interface LoadProducerOptions {
  /** Also the prefix of every message value: `<label>:<seq>`. */
  label: string;
  bootstrap: string[];
  topic: string;
  partitions: number;
  jwt: PortalJwt;
  /** Messages per send (to one partition, the next send to the next), default 6. */
  batchSize?: number;
  /** Pause after each acknowledged send, default 50 ms. */
  intervalMs?: number;
}

/** Kafka refused this principal: what a rotated-away token's producer meets. */
const refusals = ['TOPIC_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED', 'SASL_AUTHENTICATION_FAILED'];

/**
 * One send in flight at a time; a batch is acknowledged (all of it, acks=all) or sent again, so the
 * acknowledged messages are always seq 0 … acked-1. Transient failures are retried inside the
 * idempotent producer without end (same producer id and sequences: nothing stored twice); a
 * refusal stops the loop, any other failure sends the batch again.
 *
 * Each batch goes to one partition, the batches in turn to every partition. @platformatic/kafka
 * 2.12.1 groups a send's messages by leader once, then retries each group against the leader of
 * its first partition only: when a failover splits a group's partitions between two new leaders,
 * an idempotent producer resends that request forever, NOT_LEADER_OR_FOLLOWER each time (seen
 * here after killing a node that led two partitions). A send to one partition cannot be split.
 */
export class LoadProducer {
  readonly label: string;
  readonly jwt: PortalJwt;
  /** Messages 0 … acked-1 are acknowledged. */
  acked = 0;
  /** Messages handed to send(), retries included. */
  sent = 0;
  failedSends = 0;
  readonly errorIds = new Map<string, number>();
  /** Retries inside the Kafka client (a send retried there does not fail), by error id. */
  readonly retriedIds = new Map<string, number>();
  /** When the send now in flight began, or null. */
  sendingSince: number | null = null;
  /** When each acknowledged send came back. */
  readonly ackTimes: number[] = [];
  refusedAt: number | null = null;
  readonly #options: Required<LoadProducerOptions>;
  readonly #producer: Producer<string, string, string, string>;
  #stopping = false;
  #loop: Promise<void> | null = null;

  constructor(options: LoadProducerOptions) {
    this.#options = { batchSize: 6, intervalMs: 50, ...options };
    this.label = options.label;
    this.jwt = options.jwt;
    this.#producer = new Producer({
      clientId: `load-${options.label}`,
      bootstrapBrokers: options.bootstrap,
      sasl: {
        mechanism: 'OAUTHBEARER',
        token: () => options.jwt.get(),
        authBytesValidator: saslOAuthBearer.jwtValidateAuthenticationBytes,
      },
      serializers: stringSerializers,
      idempotent: true,
      acks: ProduceAcks.ALL,
      connectTimeout: 3000,
      // Called with each error the client retries.
      retryDelay: (_client, _operation, _attempt, _retries, error) => {
        for (const id of kafkaErrorIds(error)) this.retriedIds.set(id, (this.retriedIds.get(id) ?? 0) + 1);
        return 500;
      },
    });
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async #run(): Promise<void> {
    const { label, topic, partitions, batchSize, intervalMs } = this.#options;
    while (!this.#stopping) {
      const first = this.acked;
      const partition = Math.floor(first / batchSize) % partitions;
      const messages = Array.from({ length: batchSize }, (_, i) => ({
        topic,
        key: `${label}-${first + i}`,
        value: `${label}:${first + i}`,
        partition,
      }));
      this.sent += batchSize;
      this.sendingSince = Date.now();
      try {
        await this.#producer.send({ messages });
        this.acked += batchSize;
        this.ackTimes.push(Date.now());
        this.sendingSince = null;
      } catch (error) {
        this.sendingSince = null;
        if (this.#stopping) return;
        this.failedSends++;
        const ids = kafkaErrorIds(error);
        for (const id of ids) this.errorIds.set(id, (this.errorIds.get(id) ?? 0) + 1);
        if (refusals.some((id) => ids.has(id))) {
          this.refusedAt = Date.now();
          return;
        }
        await sleep(500);
        continue;
      }
      await sleep(intervalMs);
    }
  }

  /** Acknowledged sends in [from, to). */
  acksBetween(from: number, to = Number.POSITIVE_INFINITY): number {
    return this.ackTimes.filter((at) => at >= from && at < to).length;
  }

  /** The longest time without an acknowledgement within [from, to): how long the producer stalled. */
  longestStall(from: number, to = Date.now()): number {
    return longestGap(this.ackTimes, from, to);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#producer.close(true).catch(() => {});
    await this.#loop;
  }
}

/** Every `<label>:<seq>` a consumer has read, with when it read something last. */
export class ReadLog {
  readonly #seen = new Map<string, Map<number, number>>();
  readonly readTimes: number[] = [];
  total = 0;

  record(value: string): void {
    const separator = value.lastIndexOf(':');
    const label = value.slice(0, separator);
    const seq = Number(value.slice(separator + 1));
    const seen = this.#seen.get(label) ?? new Map<number, number>();
    this.#seen.set(label, seen);
    seen.set(seq, (seen.get(seq) ?? 0) + 1);
    this.total++;
    this.readTimes.push(Date.now());
  }

  /** Distinct messages of `label` read. */
  distinct(label: string): number {
    return this.#seen.get(label)?.size ?? 0;
  }

  /** Acknowledged messages 0 … acked-1 of `label` never read. */
  missing(label: string, acked: number): number[] {
    const seen = this.#seen.get(label);
    const missing: number[] = [];
    for (let seq = 0; seq < acked; seq++) if (!seen?.has(seq)) missing.push(seq);
    return missing;
  }

  /** Messages of `label` read more than once (a restarted fetch or a rebalance re-reads). */
  duplicates(label: string): number {
    let count = 0;
    for (const times of this.#seen.get(label)?.values() ?? []) count += times - 1;
    return count;
  }

  /** The longest time without reading anything within [from, to). */
  longestStall(from: number, to = Date.now()): number {
    return longestGap(this.readTimes, from, to);
  }
}

/** The longest interval within [from, to) with none of the (ascending) times in it. */
function longestGap(times: readonly number[], from: number, to: number): number {
  let previous = from;
  let longest = 0;
  for (const at of times) {
    if (at < from) continue;
    if (at >= to) break;
    longest = Math.max(longest, at - previous);
    previous = at;
  }
  return Math.max(longest, to - previous);
}
