import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { registerAuditRoutes } from './audit/audit-routes.ts';
import { registerAuthRoutes } from './auth/auth-routes.ts';
import { registerJwksRoutes } from './broker/jwks-routes.ts';
import { registerLibrdkafkaRoutes } from './broker/librdkafka-routes.ts';
import { registerOAuthTokenRoutes } from './broker/oauth-token-routes.ts';
import { registerDeploymentRoutes } from './deployments/deployment-routes.ts';
import { NotFoundError, PortalError } from './errors.ts';
import { registerAuthorizationGate } from './http/authorization-gate.ts';
import { handleError } from './http/error-handler.ts';
import { registerMethodNotAllowed } from './http/method-not-allowed.ts';
import type { ContractTypes } from './http/portal-app.ts';
import { registerAuthentication } from './http/request-auth.ts';
import { registerSigningKeyRoutes } from './keys/signing-key-routes.ts';
import { registerOpsRoutes } from './ops/ops-routes.ts';
import { registerPatRoutes } from './pats/pat-routes.ts';
import type { Portal } from './portal.ts';
import { registerRotationRunRoutes } from './rotation-runs/rotation-run-routes.ts';
import { registerStreamingTokenRoutes } from './tokens/streaming-token-routes.ts';
import { registerTopicRoutes } from './topics/topic-routes.ts';
import { registerUiRoutes } from './ui/ui-routes.ts';
import { registerUserRoutes } from './users/user-routes.ts';
import { registerWorkspaceRoutes } from './workspaces/workspace-routes.ts';

export interface BuildAppOptions {
  /** A pino logger (server) or logger options (tests); absent: silent. */
  logger?: FastifyBaseLogger | FastifyServerOptions['logger'];
  /** Where the built web UI lives; absent: /ui/ answers that the UI is not built. */
  uiDir?: string | null;
  /** Serve HTTPS with this certificate and key (PEM; see http/tls-certificate.ts); absent: HTTP. */
  https?: { cert: string; key: string } | null;
}

const bodyLimitBytes = 64 * 1024;

function isLoggerInstance(logger: BuildAppOptions['logger']): logger is FastifyBaseLogger {
  return (
    typeof logger === 'object' && logger !== null && typeof (logger as FastifyBaseLogger).child === 'function'
  );
}

/** A hop count as Fastify applies it (its types take no number): trust the nearest `hops` proxies. */
function trustProxyOption(trust: false | string[] | number) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}

/**
 * Fastify's `https` option. Its types would make an HTTPS app another kind of instance; the portal
 * only listens and injects, so the instance keeps its HTTP type and is HTTPS at run time.
 */
function httpsOption(https: BuildAppOptions['https']): object {
  return https ? { https: { cert: https.cert, key: https.key } } : {};
}

/** The HTTP face of a portal: plugins and routes, registered explicitly, one error handler. */
export async function buildApp(portal: Portal, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...httpsOption(options.https),
    ...(isLoggerInstance(options.logger)
      ? { loggerInstance: options.logger }
      : { logger: options.logger ?? false }),
    bodyLimit: bodyLimitBytes,
    trustProxy: trustProxyOption(portal.config.trustProxy),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // No type coercion: `{"workspaceId": 42}` is a client's mistake, not the workspace "42".
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    routerOptions: { maxParamLength: 300 },
    // Bad URLs (broken percent-encoding, over-long segments) answer in the portal's error shape too.
    frameworkErrors: (error, request, reply) => {
      void reply.header('x-correlation-id', String(request.id));
      handleError(error, request, reply);
    },
  });
  // Before any route: it learns each route's pattern as it is registered.
  registerMethodNotAllowed(app);

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema, so the contract's `type: [..., 'null']` and
      // `propertyNames` (deployment variable names) say what the server checks.
      openapi: '3.1.0',
      info: {
        title: 'Streamgate Portal API',
        version: '0.1.0',
        description:
          'Workspaces, streaming tokens, personal access tokens, broker access and topics. Quix Portal API compatible.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'A streaming token (sgs_...) or a personal access token (sgp_...).',
          },
          session: { type: 'apiKey', in: 'cookie', name: 'sg_session' },
          kafkaBroker: {
            type: 'oauth2',
            description:
              'Not for this API: how Kafka clients (librdkafka OAUTHBEARER) get a broker JWT, with the workspace id and a streaming token as client credentials.',
            flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } },
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    handleError(
      new NotFoundError(`No route ${request.method} ${request.url.split('?')[0]}.`),
      request,
      reply,
    );
  });

  app.addHook('onRequest', async (_request, reply) => {
    void reply
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY');
  });
  app.addHook('onSend', async (request, reply, payload) => {
    void reply.header('x-correlation-id', String(request.id));
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    portal.metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.addHook('onError', async (_request, _reply, error) => {
    if (
      error instanceof PortalError &&
      (error.code === 'PORTAL_INVALID_TOKEN' ||
        error.code === 'PORTAL_TOKEN_REVOKED' ||
        error.code === 'PORTAL_UNAUTHENTICATED')
    ) {
      portal.metrics.authFailures.inc({ code: error.code });
    }
  });

  // Authentication is scoped to the API routes; the UI's static files and /docs are public.
  await app.register(async (scope) => {
    const api = scope.withTypeProvider<ContractTypes>();
    registerAuthentication(api, portal.authenticate);
    registerAuthorizationGate(api, {
      findWorkspace: (workspaceId) => portal.store.findWorkspace(workspaceId),
    });
    registerAuthRoutes(api, {
      sessions: portal.sessions,
      pats: portal.pats,
      secureCookies: portal.config.publicUrl.startsWith('https:'),
    });
    registerWorkspaceRoutes(api, { workspaces: portal.workspaces, broker: portal.brokerDescription });
    registerStreamingTokenRoutes(api, {
      streamingTokens: portal.streamingTokens,
      brokerCutOff: () => portal.kafka.cutOff(),
    });
    registerPatRoutes(api, { pats: portal.pats });
    registerUserRoutes(api, { users: portal.users });
    registerAuditRoutes(api, { auditReader: portal.auditReader });
    registerOpsRoutes(api, { metrics: portal.metrics, readiness: portal.readiness });
    registerJwksRoutes(api, { brokerKeys: portal.brokerKeys });
    registerSigningKeyRoutes(api, { signingKeys: portal.signingKeys });
    // Form bodies are the token endpoint's alone (RFC 6749); every other route takes JSON.
    await api.register(async (oauth) => {
      await oauth.register(formbody, { bodyLimit: 8 * 1024 });
      // The token endpoint checks its form itself, to answer in RFC 6749's terms
      // (unsupported_grant_type, invalid_request); its body schema documents that form.
      oauth.setValidatorCompiler(() => () => true);
      registerOAuthTokenRoutes(oauth, { brokerTokens: portal.brokerTokens });
    });
    registerLibrdkafkaRoutes(api, { brokerAccess: portal.brokerAccess });
    registerTopicRoutes(api, { topics: portal.topics });
    registerDeploymentRoutes(api, { deployments: portal.deployments });
    registerRotationRunRoutes(api, { rotationRuns: portal.rotationRuns });
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  registerUiRoutes(app, { uiDir: options.uiDir ?? null });

  await app.ready();
  return app;
}
