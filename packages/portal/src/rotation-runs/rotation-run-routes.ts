import {
  getRotationRunSchema,
  listRotationRunsSchema,
  rotationPlanSchema,
  rotationRunActionSchema,
  startRotationSchema,
} from '@streamgate/contract';
import { expectedPairTag } from '../http/if-match.ts';
import type { PortalApp } from '../http/portal-app.ts';
import { principalOf } from '../http/request-auth.ts';
import type { RotationRunRecord } from '../storage/storage.ts';
import type { RotationRunService } from './rotation-run-service.ts';

const base = '/workspaces/:workspaceId/streaming-tokens';

/** The run as the API shows it (the storage version counter is internal). */
export const rotationRunJson = ({ version: _version, ...run }: RotationRunRecord) => run;

export function registerRotationRunRoutes(app: PortalApp, deps: { rotationRuns: RotationRunService }): void {
  const { rotationRuns } = deps;

  app.get(
    `${base}/rotation-plan`,
    { schema: rotationPlanSchema, config: { access: 'streamingTokens.read' } },
    async (request, reply) => {
      const { etag, ...plan } = await rotationRuns.plan(principalOf(request), request.params.workspaceId);
      void reply.header('etag', `"${etag}"`).header('cache-control', 'no-store');
      return { ...plan, activeRun: plan.activeRun ? rotationRunJson(plan.activeRun) : null };
    },
  );

  app.post(
    `${base}/rotations`,
    { schema: startRotationSchema, config: { access: 'streamingTokens.rotate' } },
    async (request, reply) => {
      const run = await rotationRuns.start(
        principalOf(request),
        request.params.workspaceId,
        expectedPairTag(request, 'A rotation run'),
        request.body,
        request.ip,
      );
      return reply
        .code(202)
        .header('location', `/workspaces/${run.workspaceId}/streaming-tokens/rotations/${run.rotationId}`)
        .send(rotationRunJson(run));
    },
  );

  app.get(
    `${base}/rotations`,
    { schema: listRotationRunsSchema, config: { access: 'streamingTokens.read' } },
    async (request) => (await rotationRuns.list(request.params.workspaceId)).map(rotationRunJson),
  );

  app.get(
    `${base}/rotations/:rotationId`,
    { schema: getRotationRunSchema, config: { access: 'streamingTokens.read' } },
    async (request) =>
      rotationRunJson(await rotationRuns.get(request.params.workspaceId, request.params.rotationId)),
  );

  app.post(
    `${base}/rotations/:rotationId/cancel`,
    {
      schema: rotationRunActionSchema(
        'Cancel a run that has not rotated yet (Admin); moved deployments stay on Token 2.',
      ),
      config: { access: 'streamingTokens.rotate' },
    },
    async (request) => {
      const { workspaceId, rotationId } = request.params;
      return rotationRunJson(
        await rotationRuns.cancel(principalOf(request), workspaceId, rotationId, request.ip),
      );
    },
  );

  app.post(
    `${base}/rotations/:rotationId/force`,
    {
      schema: rotationRunActionSchema(
        'Stop waiting for outside clients of Token 1 and rotate once deployments are moved (Admin).',
      ),
      config: { access: 'streamingTokens.rotate' },
    },
    async (request) => {
      const { workspaceId, rotationId } = request.params;
      return rotationRunJson(
        await rotationRuns.force(principalOf(request), workspaceId, rotationId, request.ip),
      );
    },
  );
}
