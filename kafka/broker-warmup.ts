// A fresh broker creates its internal topics (__consumer_offsets, __transaction_state) on first
// use and then loads them; until that is done, group joins and idempotent producers get
// COORDINATOR_NOT_AVAILABLE / COORDINATOR_LOAD_IN_PROGRESS and back off, which on a busy
// two-core machine has cost clients (librdkafka in particular) minutes. Asking for both
// coordinators and one producer id while starting makes "ready" mean ready for clients too.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionOptions } from 'node:tls';
import { Admin, FindCoordinatorKeyTypes, Producer } from '@platformatic/kafka';

export async function warmCoordinators(opts: {
  bootstrap: string;
  username: string;
  password: string;
  deadline: number;
  /** For a SASL_SSL listener: how to verify it. */
  tls?: ConnectionOptions;
}): Promise<void> {
  const sasl = { mechanism: 'SCRAM-SHA-512' as const, username: opts.username, password: opts.password };
  const tls = opts.tls ? { tls: opts.tls } : {};
  const admin = new Admin({
    clientId: 'streamgate-kafka-warmup',
    bootstrapBrokers: [opts.bootstrap],
    sasl,
    ...tls,
    retries: 0,
  });
  const producer = new Producer({
    clientId: 'streamgate-kafka-warmup',
    bootstrapBrokers: [opts.bootstrap],
    sasl,
    ...tls,
    idempotent: true,
    retries: 0,
  });
  const steps: [string, () => Promise<unknown>][] = [
    [
      'group coordinator',
      () => admin.findCoordinator({ keyType: FindCoordinatorKeyTypes.GROUP, keys: ['streamgate-warmup'] }),
    ],
    [
      'transaction coordinator',
      () =>
        admin.findCoordinator({ keyType: FindCoordinatorKeyTypes.TRANSACTION, keys: ['streamgate-warmup'] }),
    ],
    ['idempotent producer id', () => producer.initIdempotentProducer({})],
  ];
  try {
    for (const [name, step] of steps) {
      for (;;) {
        try {
          await step();
          break;
        } catch (error) {
          if (Date.now() > opts.deadline) {
            throw new Error(`The broker's ${name} did not become available in time.`, { cause: error });
          }
          await sleep(250);
        }
      }
    }
  } finally {
    await producer.close().catch(() => {});
    await admin.close().catch(() => {});
  }
}
