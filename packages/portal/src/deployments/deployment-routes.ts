import { Readable } from 'node:stream';
import {
  createDeploymentSchema,
  deleteDeploymentSchema,
  deploymentActionSchema,
  deploymentActions,
  deploymentLogsSchema,
  getDeploymentSchema,
  listDeploymentsSchema,
  updateDeploymentSchema,
} from '@streamgate/contract';
import type { PortalApp } from '../http/portal-app.ts';
import { principalOf } from '../http/request-auth.ts';
import type { DeploymentService } from './deployment-service.ts';

const base = '/workspaces/:workspaceId/deployments';

export function registerDeploymentRoutes(app: PortalApp, deps: { deployments: DeploymentService }): void {
  const { deployments } = deps;

  app.get(base, { schema: listDeploymentsSchema, config: { access: 'deployments.read' } }, async (request) =>
    deployments.list(request.params.workspaceId),
  );

  app.post(
    base,
    { schema: createDeploymentSchema, config: { access: 'deployments.manage' } },
    async (request, reply) => {
      const { workspaceId } = request.params;
      const view = await deployments.create(principalOf(request), workspaceId, request.body, request.ip);
      return reply.code(201).send(view);
    },
  );

  app.get(
    `${base}/:deploymentId`,
    { schema: getDeploymentSchema, config: { access: 'deployments.read' } },
    async (request) => deployments.get(request.params.workspaceId, request.params.deploymentId),
  );

  app.put(
    `${base}/:deploymentId`,
    { schema: updateDeploymentSchema, config: { access: 'deployments.manage' } },
    async (request) => {
      const { workspaceId, deploymentId } = request.params;
      return deployments.update(principalOf(request), workspaceId, deploymentId, request.body, request.ip);
    },
  );

  app.delete(
    `${base}/:deploymentId`,
    { schema: deleteDeploymentSchema, config: { access: 'deployments.manage' } },
    async (request, reply) => {
      const { workspaceId, deploymentId } = request.params;
      await deployments.remove(principalOf(request), workspaceId, deploymentId, request.ip);
      return reply.code(204).send();
    },
  );

  for (const action of deploymentActions) {
    const summary = `${action[0]!.toUpperCase()}${action.slice(1)} a deployment (Editor).`;
    app.post(
      `${base}/:deploymentId/${action}`,
      { schema: deploymentActionSchema(summary), config: { access: 'deployments.operate' } },
      async (request) => {
        const { workspaceId, deploymentId } = request.params;
        return deployments.act(principalOf(request), workspaceId, deploymentId, action, request.ip);
      },
    );
  }

  app.get(
    `${base}/:deploymentId/logs`,
    { schema: deploymentLogsSchema, config: { access: 'deployments.readLogs' } },
    async (request, reply) => {
      const { workspaceId, deploymentId } = request.params;
      const follow = request.query.follow === 'true';
      const abort = new AbortController();
      const logs = await deployments.logs(workspaceId, deploymentId, {
        tail: request.query.tail === undefined ? 200 : Number(request.query.tail),
        follow,
        signal: abort.signal,
      });
      void reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store');
      if (typeof logs === 'string') return logs;
      // The response's 'close' is the client going away (or the answer ending): stop reading.
      reply.raw.once('close', () => abort.abort());
      void reply.header('x-accel-buffering', 'no');
      return reply.send(Readable.from(logs));
    },
  );
}
