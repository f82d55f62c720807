import type { FromSchema } from 'json-schema-to-ts';
import { errorBody, noCredentials, optionalCredentials } from './http.ts';

export const statusBody = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: {
    status: { type: 'string' },
    checks: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['ok'],
        properties: { ok: { type: 'boolean' }, detail: { type: 'string' } },
      },
    },
  },
} as const;

export const healthSchema = {
  tags: ['operations'],
  summary: 'Liveness: the process answers.',
  security: noCredentials,
  response: { 200: statusBody },
} as const;

export const readinessSchema = {
  tags: ['operations'],
  summary:
    'Readiness: the database answers (and how the broker is doing). The checks carry their details (error text) for organisation Admins only.',
  security: optionalCredentials,
  response: { 200: statusBody, 503: statusBody },
} as const;

export const metricsSchema = {
  tags: ['operations'],
  summary: 'Prometheus metrics.',
  security: noCredentials,
  response: {
    200: {
      description: 'The Prometheus text exposition format.',
      content: { 'text/plain': { schema: { type: 'string' } } },
    },
    500: errorBody,
  },
} as const;

export type HealthStatus = FromSchema<typeof statusBody>;
