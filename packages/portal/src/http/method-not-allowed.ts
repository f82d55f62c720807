import type { FastifyInstance } from 'fastify';
import { MethodNotAllowedError } from '../errors.ts';

/**
 * A request to a path the portal has, with a method it does not take, answers 405 with an Allow
 * header (RFC 9110) instead of Fastify's 404. Fastify's router cannot be asked which methods a
 * concrete path has, so every route's pattern is kept here as it is registered: register this
 * before any route. The check runs on preParsing: after every onRequest hook (the security
 * headers, authentication's), before the body is parsed, so a body no route reads (a QUERY
 * without Content-Type) cannot turn the answer into a 400.
 */
export function registerMethodNotAllowed(app: FastifyInstance): void {
  const routes: { pattern: RegExp; methods: Set<string> }[] = [];
  const byUrl = new Map<string, Set<string>>();

  app.addHook('onRoute', (route) => {
    let methods = byUrl.get(route.url);
    if (!methods) {
      methods = new Set();
      byUrl.set(route.url, methods);
      routes.push({ pattern: patternOf(route.url), methods });
    }
    for (const method of [route.method].flat()) methods.add(method.toUpperCase());
    // Fastify answers HEAD for every GET route (exposeHeadRoutes).
    if (methods.has('GET')) methods.add('HEAD');
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!request.is404) return payload;
    const path = request.url.split('?')[0] ?? '/';
    const allow = new Set<string>();
    for (const route of routes) {
      if (route.pattern.test(path)) for (const method of route.methods) allow.add(method);
    }
    if (allow.size > 0 && !allow.has(request.method)) {
      throw new MethodNotAllowedError(request.method, path, [...allow].sort());
    }
    return payload;
  });
}

/** A Fastify route URL (`/workspaces/:workspaceId`, `/ui/*`) as a regular expression over a raw path. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}
