import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Inline scripts are forbidden; the UI's styles may be inline (its component library sets them). */
export const uiContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/** Serves the built web UI under /ui/, with a SPA fallback, and sends `/` there. */
export function registerUiRoutes(app: FastifyInstance, deps: { uiDir: string | null }): void {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/ui/', 302));

  const built = deps.uiDir !== null && existsSync(join(deps.uiDir, 'index.html'));
  if (!built) {
    app.get('/ui/*', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(
          'The Streamgate web UI is not built. Run ./streamgate up (it builds it), or: npm run build -w packages/web',
        ),
    );
    return;
  }

  void app.register(async (scope) => {
    scope.addHook('onSend', async (request, reply, payload) => {
      void reply.header('content-security-policy', uiContentSecurityPolicy);
      // Vite fingerprints everything under assets/: cache it for good; the HTML never.
      const cacheable = request.url.startsWith('/ui/assets/') && reply.statusCode === 200;
      void reply.header('cache-control', cacheable ? 'public, max-age=31536000, immutable' : 'no-cache');
      return payload;
    });
    await scope.register(fastifyStatic, {
      root: deps.uiDir!,
      prefix: '/ui/',
      index: ['index.html'],
      cacheControl: false,
      wildcard: false,
    });
    // Client-side routes (/ui/settings/tokens, ...) are the SPA's: answer with its index.html.
    scope.get('/ui/*', { schema: { hide: true } }, async (request, reply) => {
      if (/\.[a-z0-9]+$/i.test(request.url.split('?')[0]!)) {
        return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
      }
      return reply.sendFile('index.html');
    });
  });
}
