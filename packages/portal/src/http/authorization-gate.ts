import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, workspaceNotFound } from '../errors.ts';
import { type Action, actionScope, can } from '../permissions/permissions.ts';
import type { WorkspaceRecord } from '../storage/storage.ts';
import { principalOf } from './request-auth.ts';

/**
 * What a route does, as the permission table names it. A workspace action applies to the
 * workspace the request names: `:workspaceId` in the path, which must exist, else a
 * `?workspaceId=` filter (the audit log of a deleted workspace is still readable).
 * 'authenticated': any caller who is someone; what each one sees is the service's to filter.
 */
export type RouteAccess = Action | 'authenticated';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess | ((request: FastifyRequest) => RouteAccess);
  }
  interface FastifyRequest {
    /** The workspace the path names, as the gate found it (`workspaceOf`). */
    workspace: WorkspaceRecord | null;
  }
}

/**
 * The one authorization gate. Every authenticated route declares its access (a route without
 * one does not register); before the handler runs, the gate answers 404 to a caller who may not
 * see the workspace or when it does not exist, then 403 with the table's reason. The workspace
 * it found is the handler's (`workspaceOf`).
 */
export function registerAuthorizationGate(
  app: FastifyInstance,
  deps: { findWorkspace: (workspaceId: string) => Promise<WorkspaceRecord | null> },
): void {
  app.decorateRequest('workspace', null);
  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth ?? 'required';
    if (auth === 'required' && route.config?.access === undefined) {
      throw new TypeError(`Route ${route.method} ${route.url} declares no access (config.access)`);
    }
  });

  app.addHook('preHandler', async (request) => {
    const declared = request.routeOptions.config.access;
    if (declared === undefined) return;
    const access = typeof declared === 'function' ? declared(request) : declared;
    const principal = principalOf(request);
    if (access === 'authenticated') return;
    if (actionScope(access) !== 'workspace') {
      const decision = can(principal, access);
      if (!decision.allowed) throw new ForbiddenError(decision.reason);
      return;
    }
    const named = workspaceNamedBy(request);
    if (named === null) throw new TypeError(`${access} on a route that names no workspace`);
    const { workspaceId, inPath } = named;
    if (!can(principal, 'workspace.read', workspaceId).allowed) throw workspaceNotFound(workspaceId);
    if (inPath) {
      // A streaming token's workspace was read with the token (one statement): no second read.
      const known = request.auth?.workspace;
      const workspace = known?.workspaceId === workspaceId ? known : await deps.findWorkspace(workspaceId);
      if (!workspace) throw workspaceNotFound(workspaceId);
      request.workspace = workspace;
    }
    const decision = can(principal, access, workspaceId);
    if (!decision.allowed) throw new ForbiddenError(decision.reason);
  });
}

/** The workspace a route's path names, which the gate found (so the handler need not read it again). */
export function workspaceOf(request: FastifyRequest): WorkspaceRecord {
  if (!request.workspace) throw new TypeError('workspaceOf() on a route whose path names no workspace');
  return request.workspace;
}

function workspaceNamedBy(request: FastifyRequest): { workspaceId: string; inPath: boolean } | null {
  const fromPath = (request.params as { workspaceId?: unknown } | undefined)?.workspaceId;
  if (typeof fromPath === 'string') return { workspaceId: fromPath, inPath: true };
  const fromQuery = (request.query as { workspaceId?: unknown } | undefined)?.workspaceId;
  return typeof fromQuery === 'string' ? { workspaceId: fromQuery, inPath: false } : null;
}
