import type { Clock } from '../clock.ts';
import { sha256Hex } from '../crypto/hashing.ts';
import type { TokenUsageRecord, TokenUsageStorage } from '../storage/storage.ts';

export interface ClientInfo {
  userAgent: string;
  address: string;
  deploymentId: string | null;
}

/**
 * Remembers who used which token, without a database write per request: uses are buffered
 * in memory and written in one batch every `flushIntervalMs`, so a busy token costs at most
 * one write per interval per client.
 */
export interface UsageRecorder {
  record(tokenId: string, client: ClientInfo): void;
  flush(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

const maxField = 200;

export function createUsageRecorder(deps: {
  store: TokenUsageStorage;
  clock: Clock;
  flushIntervalMs?: number;
  onError?: (error: unknown) => void;
}): UsageRecorder {
  const { store, clock } = deps;
  const pending = new Map<string, TokenUsageRecord>();
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();

  /** Per token, the client of its latest use: a service sending request after request matches it. */
  const latestByToken = new Map<string, { client: ClientInfo; entry: TokenUsageRecord }>();

  const flushOnce = async () => {
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending.clear();
    latestByToken.clear();
    await store.recordTokenUsage(batch);
  };

  const recorder: UsageRecorder = {
    record(tokenId, client) {
      // Called on every authenticated request: a client already pending this interval only
      // moves its time; the hash and the record are made once per client per interval.
      const latest = latestByToken.get(tokenId);
      if (
        latest !== undefined &&
        latest.client.address === client.address &&
        latest.client.userAgent === client.userAgent &&
        latest.client.deploymentId === client.deploymentId
      ) {
        latest.entry.lastUsedAt = clock.now();
        return;
      }
      const userAgent = client.userAgent.slice(0, maxField);
      const deploymentId = client.deploymentId?.slice(0, maxField) ?? null;
      const key = `${tokenId}\n${userAgent}\n${client.address}\n${deploymentId ?? ''}`;
      const known = pending.get(key);
      if (known) {
        known.lastUsedAt = clock.now();
        latestByToken.set(tokenId, { client, entry: known });
        return;
      }
      const clientKey = sha256Hex(`${userAgent}\n${client.address}\n${deploymentId ?? ''}`).slice(0, 32);
      const entry: TokenUsageRecord = {
        tokenId,
        clientKey,
        userAgent,
        address: client.address,
        deploymentId,
        lastUsedAt: clock.now(),
      };
      pending.set(key, entry);
      latestByToken.set(tokenId, { client, entry });
    },
    flush() {
      flushing = flushing.then(flushOnce, flushOnce);
      return flushing;
    },
    start() {
      if (timer) return;
      timer = setInterval(() => {
        recorder.flush().catch((error: unknown) => deps.onError?.(error));
      }, deps.flushIntervalMs ?? 5000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await recorder.flush();
    },
  };
  return recorder;
}
