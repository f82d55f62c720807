import { errorBody, statusBody } from '@streamgate/contract';
import type { FastifyInstance } from 'fastify';
import { can } from '../permissions/permissions.ts';
import type { Store } from '../storage/storage.ts';
import type { Metrics } from './metrics.ts';

export interface ReadinessCheck {
  name: string;
  /**
   * Throws when not ready; `critical: false` checks are reported but do not fail readiness.
   * `critical` is read after `check()` ran, so a check may be critical only until it first passed.
   */
  check(): Promise<string | undefined>;
  critical: boolean;
}

export function registerOpsRoutes(
  app: FastifyInstance,
  deps: { store: Store; metrics: Metrics; checks: ReadinessCheck[] },
): void {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process answers.',
        response: { 200: statusBody },
      },
      config: { auth: 'none' },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary:
          'Readiness: the database answers (and how the broker is doing). The checks carry their details (error text) for organisation Admins only.',
        response: { 200: statusBody, 503: statusBody },
      },
      config: { auth: 'optional' },
    },
    async (request, reply) => {
      // Error text names hosts, users and versions: for an organisation Admin, not for anyone.
      const details = request.auth ? can(request.auth.principal, 'operations.readDetails').allowed : false;
      const all: ReadinessCheck[] = [
        {
          name: 'database',
          critical: true,
          check: async () => {
            await deps.store.ping();
            return deps.store.engine;
          },
        },
        ...deps.checks,
      ];
      const checks: Record<string, { ok: boolean; detail?: string }> = {};
      let ready = true;
      for (const item of all) {
        try {
          const detail = await item.check();
          checks[item.name] = { ok: true, ...(detail ? { detail } : {}) };
        } catch (error) {
          checks[item.name] = { ok: false, detail: error instanceof Error ? error.message : 'failed' };
          if (item.critical) ready = false;
        }
      }
      if (!details) for (const name of Object.keys(checks)) checks[name] = { ok: checks[name]!.ok };
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics.',
        response: { 200: { type: 'string' }, 500: errorBody },
      },
      config: { auth: 'none' },
    },
    async (_request, reply) => {
      void reply.header('content-type', deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  );
}
