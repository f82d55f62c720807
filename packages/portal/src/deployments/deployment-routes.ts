import { Readable } from 'node:stream';
import {
  createDeploymentSchema,
  deleteDeploymentSchema,
  deploymentActionSchema,
  deploymentLogsSchema,
  getDeploymentSchema,
  listDeploymentsSchema,
  updateDeploymentSchema,
} from '@streamgate/contract';
import type { FastifyInstance } from 'fastify';
import { BadRequestError, PortalError } from '../errors.ts';
import { principalOf } from '../http/request-auth.ts';
import type {
  CreateDeploymentInput,
  DeploymentService,
  UpdateDeploymentInput,
} from './deployment-service.ts';
import type { DeploymentRunner } from './runner.ts';

type WorkspaceParams = { Params: { workspaceId: string } };
type DeploymentParams = { Params: { workspaceId: string; deploymentId: string } };

const base = '/workspaces/:workspaceId/deployments';

export function registerDeploymentRoutes(
  app: FastifyInstance,
  deps: { deployments: DeploymentService; runner: () => DeploymentRunner | null },
): void {
  const { deployments } = deps;

  app.get<WorkspaceParams>(base, { schema: listDeploymentsSchema }, async (request) =>
    deployments.list(principalOf(request), request.params.workspaceId),
  );

  app.post<WorkspaceParams & { Body: CreateDeploymentInput }>(
    base,
    { schema: createDeploymentSchema },
    async (request, reply) => {
      const view = await deployments.create(
        principalOf(request),
        request.params.workspaceId,
        request.body,
        request.ip,
      );
      return reply.code(201).send(view);
    },
  );

  app.get<DeploymentParams>(`${base}/:deploymentId`, { schema: getDeploymentSchema }, async (request) =>
    deployments.get(principalOf(request), request.params.workspaceId, request.params.deploymentId),
  );

  app.put<DeploymentParams & { Body: UpdateDeploymentInput }>(
    `${base}/:deploymentId`,
    { schema: updateDeploymentSchema },
    async (request) =>
      deployments.update(
        principalOf(request),
        request.params.workspaceId,
        request.params.deploymentId,
        request.body,
        request.ip,
      ),
  );

  app.delete<DeploymentParams>(
    `${base}/:deploymentId`,
    { schema: deleteDeploymentSchema },
    async (request, reply) => {
      await deployments.remove(
        principalOf(request),
        request.params.workspaceId,
        request.params.deploymentId,
        request.ip,
      );
      return reply.code(204).send();
    },
  );

  for (const action of ['start', 'stop', 'restart'] as const) {
    app.post<DeploymentParams>(
      `${base}/:deploymentId/${action}`,
      {
        schema: deploymentActionSchema(
          `${action[0]!.toUpperCase()}${action.slice(1)} a deployment (Editor).`,
        ),
      },
      async (request) =>
        deployments.act(
          principalOf(request),
          request.params.workspaceId,
          request.params.deploymentId,
          action,
          request.ip,
        ),
    );
  }

  app.get<DeploymentParams & { Querystring: { tail?: string; follow?: 'true' | 'false' } }>(
    `${base}/:deploymentId/logs`,
    { schema: deploymentLogsSchema },
    async (request, reply) => {
      const tail = request.query.tail === undefined ? 200 : Number(request.query.tail);
      if (tail < 1 || tail > 10_000) throw new BadRequestError('tail must be from 1 to 10000 lines.');
      const deployment = await deployments.forLogs(
        principalOf(request),
        request.params.workspaceId,
        request.params.deploymentId,
      );
      const runner = deps.runner();
      if (!runner)
        throw new PortalError(
          'PORTAL_CONFLICT',
          'This portal runs no deployments (STREAMGATE_RUNNER is not set), so it has no logs to show.',
        );
      void reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store');
      if (request.query.follow !== 'true') return runner.logs(deployment, tail);
      const abort = new AbortController();
      // The response's 'close' is the client going away (or the answer ending): stop reading.
      reply.raw.once('close', () => abort.abort());
      void reply.header('x-accel-buffering', 'no');
      return reply.send(Readable.from(runner.followLogs(deployment, tail, abort.signal)));
    },
  );
}
