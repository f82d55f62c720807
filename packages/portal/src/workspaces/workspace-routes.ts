import {
  createWorkspaceSchema,
  deleteWorkspaceSchema,
  getWorkspaceSchema,
  listMembersSchema,
  listWorkspacesSchema,
  resetMemberSchema,
  setMemberSchema,
  type Workspace,
} from '@streamgate/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { brokerPrincipalOf } from '../broker/broker-principal.ts';
import { workspaceOf } from '../http/authorization-gate.ts';
import type { PortalApp } from '../http/portal-app.ts';
import { bearerTokenOf, principalOf } from '../http/request-auth.ts';
import type { WorkspaceService, WorkspaceView } from './workspace-service.ts';

/** How clients reach the broker, as the Quix workspace object describes it. */
export type BrokerDescription = Workspace['broker'];

/** The PLAIN login a streaming-token caller may use at the broker: its principal and its own token. */
export interface PlainLogin {
  username: string;
  password: string;
}

export function registerWorkspaceRoutes(
  app: PortalApp,
  deps: { workspaces: WorkspaceService; broker: (plainLogin: PlainLogin | null) => BrokerDescription },
): void {
  const { workspaces } = deps;
  const json = (workspace: WorkspaceView, plainLogin: PlainLogin | null = null) => ({
    workspaceId: workspace.workspaceId,
    name: workspace.name,
    status: 'Ready' as const,
    createdAt: workspace.createdAt,
    role: workspace.role ?? undefined, // humans only: an absent field is not serialised
    brokerType: 'SelfHosted',
    broker: deps.broker(plainLogin),
    brokerSettings: { brokerType: 'SelfHosted', syncTopics: false },
    version: 2,
  });

  /** The object may carry the caller's token: no cache may keep it. */
  const withLogin = (request: FastifyRequest, reply: FastifyReply) => {
    const login = plainLoginOf(request);
    if (login) void reply.header('cache-control', 'no-store');
    return login;
  };

  app.get(
    '/workspaces',
    { schema: listWorkspacesSchema, config: { access: 'authenticated' } },
    async (request, reply) => {
      const login = withLogin(request, reply);
      return (await workspaces.list(principalOf(request))).map((workspace) => json(workspace, login));
    },
  );

  app.post(
    '/workspaces',
    { schema: createWorkspaceSchema, config: { access: 'workspace.create' } },
    async (request, reply) => {
      const created = await workspaces.create(principalOf(request), request.body, request.ip);
      return reply.status(201).send(json(created));
    },
  );

  app.get(
    '/workspaces/:workspaceId',
    { schema: getWorkspaceSchema, config: { access: 'workspace.read' } },
    async (request, reply) => {
      const workspace = workspaces.view(principalOf(request), workspaceOf(request));
      return json(workspace, withLogin(request, reply));
    },
  );

  app.delete(
    '/workspaces/:workspaceId',
    { schema: deleteWorkspaceSchema, config: { access: 'workspace.delete' } },
    async (request) => {
      const kafkaData = await workspaces.remove(principalOf(request), request.params.workspaceId, request.ip);
      return { workspaceId: request.params.workspaceId, kafkaData };
    },
  );

  app.get(
    '/workspaces/:workspaceId/members',
    { schema: listMembersSchema, config: { access: 'members.read' } },
    async (request) => workspaces.members(request.params.workspaceId),
  );

  app.put(
    '/workspaces/:workspaceId/members/:userId',
    { schema: setMemberSchema, config: { access: 'members.write' } },
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

  app.delete(
    '/workspaces/:workspaceId/members/:userId',
    { schema: resetMemberSchema, config: { access: 'members.write' } },
    async (request) => {
      const { workspaceId, userId } = request.params;
      return workspaces.resetMemberRole(principalOf(request), workspaceId, userId, request.ip);
    },
  );
}

/**
 * The legacy QuixStreamingClient (quixstreams 0.5.x) logs in to the broker with the workspace
 * object's username and password, and cannot speak OAUTHBEARER. A streaming-token caller gets
 * exactly what it already holds: its own token, under its own principal. Users and PATs never
 * get credentials (they have no broker access at all).
 */
function plainLoginOf(request: FastifyRequest): PlainLogin | null {
  const principal = principalOf(request);
  if (principal.kind !== 'streaming') return null;
  // The authenticator accepted this very header as this principal's token.
  return { username: brokerPrincipalOf(principal.tokenId), password: bearerTokenOf(request) };
}
