import {
  createWorkspaceSchema,
  deleteWorkspaceSchema,
  getWorkspaceSchema,
  listMembersSchema,
  listWorkspacesSchema,
  resetMemberSchema,
  setMemberSchema,
} from '@streamgate/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { brokerPrincipalOf } from '../broker/broker-principal.ts';
import { principalOf } from '../http/request-auth.ts';
import type { Role } from '../permissions/roles.ts';
import type { WorkspaceService, WorkspaceView } from './workspace-service.ts';

/** How clients reach the broker, as the Quix workspace object describes it. */
export interface BrokerDescription {
  address: string;
  securityMode: 'Sasl' | 'SaslSsl';
  saslMechanism: 'OAuthBearer' | 'Plain';
  /** PLAIN only: the caller's own broker principal and streaming token. */
  username?: string;
  password?: string;
  hasCertificate: boolean;
}

/** The PLAIN login a streaming-token caller may use at the broker: its principal and its own token. */
export interface PlainLogin {
  username: string;
  password: string;
}

type WorkspaceParams = { Params: { workspaceId: string } };
type MemberParams = { Params: { workspaceId: string; userId: string } };

export function registerWorkspaceRoutes(
  app: FastifyInstance,
  deps: { workspaces: WorkspaceService; broker: (plainLogin: PlainLogin | null) => BrokerDescription },
): void {
  const { workspaces } = deps;
  const json = (workspace: WorkspaceView, plainLogin: PlainLogin | null = null) => ({
    workspaceId: workspace.workspaceId,
    name: workspace.name,
    status: 'Ready',
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

  app.get('/workspaces', { schema: listWorkspacesSchema }, async (request, reply) => {
    const login = withLogin(request, reply);
    return (await workspaces.list(principalOf(request))).map((workspace) => json(workspace, login));
  });

  app.post<{ Body: { workspaceId: string; name: string } }>(
    '/workspaces',
    { schema: createWorkspaceSchema },
    async (request, reply) => {
      const created = await workspaces.create(principalOf(request), request.body, request.ip);
      return reply.status(201).send(json(created));
    },
  );

  app.get<WorkspaceParams>(
    '/workspaces/:workspaceId',
    { schema: getWorkspaceSchema },
    async (request, reply) => {
      const workspace = await workspaces.get(principalOf(request), request.params.workspaceId);
      return json(workspace, withLogin(request, reply));
    },
  );

  app.delete<WorkspaceParams>(
    '/workspaces/:workspaceId',
    { schema: deleteWorkspaceSchema },
    async (request, reply) => {
      const kafkaData = await workspaces.remove(principalOf(request), request.params.workspaceId, request.ip);
      return reply.status(200).send({ workspaceId: request.params.workspaceId, kafkaData });
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
  const token = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '')?.[1];
  if (!token) return null;
  return { username: brokerPrincipalOf(principal.tokenId), password: token };
}
