// The clients alive in this process, so that App.run can subscribe and shut down all of them.
import type { QuixStreamingClient } from './quix-streaming-client.ts';

const clients = new Set<QuixStreamingClient>();

export function registerClient(client: QuixStreamingClient): void {
  clients.add(client);
}

export function unregisterClient(client: QuixStreamingClient): void {
  clients.delete(client);
}

export function liveClients(): QuixStreamingClient[] {
  return [...clients];
}
