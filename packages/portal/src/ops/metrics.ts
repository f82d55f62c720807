import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics through prom-client; one registry per portal, so tests do not share state. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'streamgate_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'streamgate_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    rotations: new Counter({
      name: 'streamgate_rotations_total',
      help: 'Streaming token rotations',
      registers: [registry],
    }),
    brokerTokensMinted: new Counter({
      name: 'streamgate_broker_tokens_minted_total',
      help: 'Broker JWTs minted at the token endpoint',
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'streamgate_auth_failures_total',
      help: 'Requests refused for missing or invalid credentials, by code',
      labelNames: ['code'],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
