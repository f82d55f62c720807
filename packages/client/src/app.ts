// App.run: the lifetime of a streaming service. Subscribes every consumer, waits for SIGINT or
// SIGTERM (or an AbortSignal), then shuts down gracefully: producers deliver what they hold,
// consumers commit what was handled, everything closes.
import { RawTopicConsumer } from './consumer/raw-topic-consumer.ts';
import { TopicConsumer } from './consumer/topic-consumer.ts';
import { liveClients, type QuixStreamingClient } from './quix-streaming-client.ts';

export interface AppRunOptions {
  /** Runs after the stop request, before anything closes. */
  beforeShutdown?: () => void | Promise<void>;
  /** Stops the app when aborted (in addition to the process signals). */
  signal?: AbortSignal;
  /** Process signals that stop the app (default SIGINT and SIGTERM). */
  signals?: NodeJS.Signals[];
  /** Subscribe the consumers created so far (default true). */
  subscribe?: boolean;
  /** The clients to run (default: every client created in this process and not closed). */
  clients?: QuixStreamingClient[];
}

async function shutdown(
  clients: QuixStreamingClient[],
  beforeShutdown?: () => void | Promise<void>,
): Promise<unknown> {
  let failure: unknown = null;
  try {
    await beforeShutdown?.();
  } catch (error) {
    failure = error;
  }
  const results = await Promise.allSettled(clients.map((c) => c.close()));
  for (const result of results) if (result.status === 'rejected') failure ??= result.reason;
  return failure;
}

export const App = {
  /**
   * Resolves after a graceful shutdown; rejects when the app had to stop because of an error (a
   * revoked token, a failed handler, lost messages), after shutting down as well as it could.
   */
  async run(options: AppRunOptions = {}): Promise<void> {
    const clients = options.clients ?? liveClients();
    const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
    let stop!: (reason: { error: unknown } | null) => void;
    const stopped = new Promise<{ error: unknown } | null>((resolve) => {
      stop = resolve;
    });
    const onSignal = () => stop(null);
    const onError = (error: Error) => stop({ error });
    for (const signal of signals) process.on(signal, onSignal);
    const onAbort = () => stop(null);
    if (options.signal?.aborted) stop(null);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    for (const client of clients) client.on('error', onError);

    try {
      if (options.subscribe ?? true) {
        const subscriptions: Promise<void>[] = [];
        for (const client of clients) {
          for (const member of client.members) {
            const emitter = member.emitter;
            if (emitter instanceof TopicConsumer || emitter instanceof RawTopicConsumer) {
              // Errors of a consumer nobody else watches stop the app.
              if (emitter.listenerCount('error') === 0) emitter.on('error', onError);
              subscriptions.push(emitter.subscribe());
            }
          }
        }
        await Promise.race([Promise.all(subscriptions), stopped]);
      }
      const reason = await stopped;
      const failure = await shutdown(clients, options.beforeShutdown);
      if (reason?.error) throw reason.error;
      if (failure) throw failure;
    } catch (error) {
      await Promise.allSettled(clients.map((c) => c.close()));
      throw error;
    } finally {
      for (const signal of signals) process.removeListener(signal, onSignal);
      options.signal?.removeEventListener('abort', onAbort);
      for (const client of clients) client.removeListener('error', onError);
    }
  },
};
