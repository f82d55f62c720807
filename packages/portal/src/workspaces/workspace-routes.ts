import type { FastifyInstance } from 'fastify';
import { principalOf } from '../http/request-auth.ts';
import type { Role } from '../permissions/roles.ts';
import {
  createWorkspaceSchema,
  deleteWorkspaceSchema,
  getWorkspaceSchema,
  listMembersSchema,
  listWorkspacesSchema,
  resetMemberSchema,
  setMemberSchema,
} from './workspace-schemas.ts';
import type { WorkspaceService, WorkspaceView } from './workspace-service.ts';

/** How clients reach the broker, as the Quix workspace object describes it. */
export interface BrokerDescription {
  address: string;
  securityMode: 'Sasl' | 'SaslSsl';
  saslMechanism: 'OAuthBearer';
  hasCertificate: boolean;
}

type WorkspaceParams = { Params: { workspaceId: string } };
type MemberParams = { Params: { workspaceId: string; userId: string } };

export function registerWorkspaceRoutes(
  app: FastifyInstance,
  deps: { workspaces: WorkspaceService; broker: () => BrokerDescription },
): void {
  const { workspaces } = deps;
  const json = (workspace: WorkspaceView) => ({
    workspaceId: workspace.workspaceId,
    name: workspace.name,
    status: 'Ready',
    createdAt: workspace.createdAt,
    role: workspace.role ?? undefined, // humans only: an absent field is not serialised
    brokerType: 'SelfHosted',
    broker: deps.broker(),
    brokerSettings: { brokerType: 'SelfHosted', syncTopics: false },
    version: 2,
  });

  app.get('/workspaces', { schema: listWorkspacesSchema }, async (request) => {
    return (await workspaces.list(principalOf(request))).map(json);
  });

  app.post<{ Body: { workspaceId: string; name: string } }>(
    '/workspaces',
    { schema: createWorkspaceSchema },
    async (request, reply) => {
      const created = await workspaces.create(principalOf(request), request.body, request.ip);
      return reply.status(201).send(json(created));
    },
  );

  app.get<WorkspaceParams>('/workspaces/:workspaceId', { schema: getWorkspaceSchema }, async (request) => {
    return json(await workspaces.get(principalOf(request), request.params.workspaceId));
  });

  app.delete<WorkspaceParams>(
    '/workspaces/:workspaceId',
    { schema: deleteWorkspaceSchema },
    async (request, reply) => {
      await workspaces.remove(principalOf(request), request.params.workspaceId, request.ip);
      return reply.status(204).send();
    },
  );

  app.get<WorkspaceParams>(
    '/workspaces/:workspaceId/members',
    { schema: listMembersSchema },
    async (request) => {
      return workspaces.members(principalOf(request), request.params.workspaceId);
    },
  );

  app.put<MemberParams & { Body: { role: Role } }>(
    '/workspaces/:workspaceId/members/:userId',
    { schema: setMemberSchema },
    async (request) => {
      const { workspaceId, userId } = request.params;
      return workspaces.setMemberRole(
        principalOf(request),
        workspaceId,
        userId,
        request.body.role,
        request.ip,
      );
    },
  );

  app.delete<MemberParams>(
    '/workspaces/:workspaceId/members/:userId',
    { schema: resetMemberSchema },
    async (request) => {
      const { workspaceId, userId } = request.params;
      return workspaces.resetMemberRole(principalOf(request), workspaceId, userId, request.ip);
    },
  );
}
