import { healthSchema, metricsSchema, readinessSchema } from '@streamgate/contract';
import type { PortalApp } from '../http/portal-app.ts';
import type { Metrics } from './metrics.ts';
import type { Readiness } from './readiness.ts';

export function registerOpsRoutes(app: PortalApp, deps: { metrics: Metrics; readiness: Readiness }): void {
  app.get('/healthz', { schema: healthSchema, config: { auth: 'none' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: readinessSchema, config: { auth: 'optional' } }, async (request, reply) => {
    const { ready, status } = await deps.readiness.report(request.auth?.principal ?? null);
    return reply.status(ready ? 200 : 503).send(status);
  });

  app.get('/metrics', { schema: metricsSchema, config: { auth: 'none' } }, async (_request, reply) => {
    void reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
