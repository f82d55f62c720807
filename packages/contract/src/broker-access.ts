import type { FromSchema } from 'json-schema-to-ts';
import { authErrors, noContent, noCredentials, pathErrors, workspaceIdParam } from './http.ts';

export const librdkafkaSchema = {
  tags: ['broker access'],
  summary:
    "A flat librdkafka configuration for this workspace, with the presented streaming token as the secret: over SASL_SSL (when the portal's PLAIN path is on) a PLAIN login as the token's own principal, as the Quix Portal API gives one; otherwise OAUTHBEARER through the OIDC token endpoint.",
  params: workspaceIdParam,
  response: {
    200: {
      type: 'object',
      additionalProperties: false,
      required: ['bootstrap.servers', 'security.protocol', 'sasl.mechanism'],
      properties: {
        'bootstrap.servers': { type: 'string' },
        'security.protocol': { type: 'string', enum: ['SASL_PLAINTEXT', 'SASL_SSL'] },
        'sasl.mechanism': { type: 'string', enum: ['OAUTHBEARER', 'PLAIN'] },
        'sasl.username': {
          type: 'string',
          description: "PLAIN: the token's broker principal (sgt-<tokenId>).",
        },
        'sasl.password': { type: 'string', description: 'PLAIN: the presented streaming token.' },
        'sasl.oauthbearer.method': { type: 'string' },
        'sasl.oauthbearer.client.id': { type: 'string' },
        'sasl.oauthbearer.client.secret': { type: 'string' },
        'sasl.oauthbearer.token.endpoint.url': { type: 'string' },
        'ssl.ca.cert': { type: 'string' },
      },
    },
    ...authErrors,
    ...pathErrors,
  },
} as const;

export const certificatesSchema = {
  tags: ['broker access'],
  summary: "The broker's CA certificate as a zip holding ca.cert; 204 when the broker needs none.",
  params: workspaceIdParam,
  response: { 200: { type: 'string', format: 'binary' }, 204: noContent, ...authErrors, ...pathErrors },
} as const;

export const oauthErrorBody = {
  type: 'object',
  additionalProperties: false,
  required: ['error'],
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
} as const;

export const tokenSchema = {
  tags: ['broker access'],
  summary:
    'OAuth 2.0 client-credentials grant: Basic workspaceId:streamingToken → a short-lived broker JWT (as librdkafka sends it).',
  security: noCredentials,
  consumes: ['application/x-www-form-urlencoded'],
  body: {
    type: 'object',
    required: ['grant_type'],
    properties: {
      grant_type: { type: 'string', enum: ['client_credentials'] },
      client_id: {
        type: 'string',
        description: 'client_secret_post: the workspace id, instead of HTTP Basic.',
      },
      client_secret: {
        type: 'string',
        description: 'client_secret_post: a streaming token, instead of HTTP Basic.',
      },
      scope: { type: 'string', description: 'Ignored.' },
    },
    description:
      'RFC 6749 client credentials. The client authenticates with HTTP Basic (workspaceId:streamingToken, as librdkafka does) or with client_id and client_secret here, not both. Other parameters are ignored.',
  },
  response: {
    200: {
      type: 'object',
      additionalProperties: false,
      required: ['access_token', 'token_type', 'expires_in'],
      properties: {
        access_token: { type: 'string' },
        token_type: { type: 'string' },
        expires_in: { type: 'integer' },
      },
    },
    400: oauthErrorBody,
    401: oauthErrorBody,
    413: oauthErrorBody,
    415: oauthErrorBody,
    429: oauthErrorBody,
  },
} as const;

export const jwksSchema = {
  tags: ['broker access'],
  summary: 'The public keys that verify broker JWTs (the broker fetches them).',
  security: noCredentials,
  response: {
    200: {
      type: 'object',
      additionalProperties: false,
      required: ['keys'],
      properties: {
        keys: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['kty', 'kid'],
            properties: {
              kty: { type: 'string' },
              crv: { type: 'string' },
              x: { type: 'string' },
              y: { type: 'string' },
              kid: { type: 'string' },
              alg: { type: 'string' },
              use: { type: 'string' },
            },
          },
        },
      },
    },
  },
} as const;

export type LibrdkafkaConfig = FromSchema<(typeof librdkafkaSchema.response)[200]>;
export type BrokerTokenAnswer = FromSchema<(typeof tokenSchema.response)[200]>;
export type OAuthErrorBody = FromSchema<typeof oauthErrorBody>;
export type Jwks = FromSchema<(typeof jwksSchema.response)[200]>;
