import {
  getRotationRunSchema,
  listRotationRunsSchema,
  rotationPlanSchema,
  rotationRunActionSchema,
  startRotationSchema,
} from '@streamgate/contract';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../http/request-auth.ts';
import type { RotationRunRecord } from '../storage/storage.ts';
import type { RotationRunService, StartRotationInput } from './rotation-run-service.ts';

type WorkspaceParams = { Params: { workspaceId: string } };
type RunParams = { Params: { workspaceId: string; rotationId: string } };

const base = '/workspaces/:workspaceId/streaming-tokens';

/** The run as the API shows it (the storage version counter is internal). */
export const rotationRunJson = ({ version: _version, ...run }: RotationRunRecord) => run;

export function registerRotationRunRoutes(
  app: FastifyInstance,
  deps: { rotationRuns: RotationRunService },
): void {
  const { rotationRuns } = deps;

  app.get<WorkspaceParams>(
    `${base}/rotation-plan`,
    { schema: rotationPlanSchema },
    async (request, reply) => {
      const { etag, ...plan } = await rotationRuns.plan(principalOf(request), request.params.workspaceId);
      void reply.header('etag', `"${etag}"`).header('cache-control', 'no-store');
      return { ...plan, activeRun: plan.activeRun ? rotationRunJson(plan.activeRun) : null };
    },
  );

  app.post<WorkspaceParams & { Body: StartRotationInput }>(
    `${base}/rotations`,
    { schema: startRotationSchema },
    async (request, reply) => {
      const run = await rotationRuns.start(
        principalOf(request),
        request.params.workspaceId,
        request.headers['if-match'],
        request.body,
        request.ip,
      );
      return reply
        .code(202)
        .header('location', `/workspaces/${run.workspaceId}/streaming-tokens/rotations/${run.rotationId}`)
        .send(rotationRunJson(run));
    },
  );

  app.get<WorkspaceParams>(`${base}/rotations`, { schema: listRotationRunsSchema }, async (request) =>
    (await rotationRuns.list(principalOf(request), request.params.workspaceId)).map(rotationRunJson),
  );

  app.get<RunParams>(`${base}/rotations/:rotationId`, { schema: getRotationRunSchema }, async (request) =>
    rotationRunJson(
      await rotationRuns.get(principalOf(request), request.params.workspaceId, request.params.rotationId),
    ),
  );

  app.post<RunParams>(
    `${base}/rotations/:rotationId/cancel`,
    {
      schema: rotationRunActionSchema(
        'Cancel a run that has not rotated yet (Admin); moved deployments stay on Token 2.',
      ),
    },
    async (request) =>
      rotationRunJson(
        await rotationRuns.cancel(
          principalOf(request),
          request.params.workspaceId,
          request.params.rotationId,
          request.ip,
        ),
      ),
  );

  app.post<RunParams>(
    `${base}/rotations/:rotationId/force`,
    {
      schema: rotationRunActionSchema(
        'Stop waiting for outside clients of Token 1 and rotate once deployments are moved (Admin).',
      ),
    },
    async (request) =>
      rotationRunJson(
        await rotationRuns.force(
          principalOf(request),
          request.params.workspaceId,
          request.params.rotationId,
          request.ip,
        ),
      ),
  );
}
