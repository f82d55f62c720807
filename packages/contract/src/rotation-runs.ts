import type { FromSchema } from 'json-schema-to-ts';
import { deploymentStatuses } from './deployments.ts';
import {
  authErrors,
  bodyErrors,
  dateTime,
  errorBody,
  nullableDateTime,
  pathErrors,
  workspaceIdParam,
} from './http.ts';

const clientJson = {
  type: 'object',
  additionalProperties: false,
  required: ['userAgent', 'address', 'deploymentId', 'lastUsedAt'],
  properties: {
    userAgent: { type: 'string' },
    address: { type: 'string' },
    deploymentId: { type: ['string', 'null'] },
    lastUsedAt: dateTime,
  },
} as const;

const stepJson = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'state', 'startedAt', 'endedAt', 'detail', 'deployments', 'clients', 'quietUntil'],
  properties: {
    name: { type: 'string', enum: ['move-deployments', 'wait-quiet', 'rotate', 'restart-deployments'] },
    state: { type: 'string', enum: ['pending', 'running', 'done', 'failed', 'skipped'] },
    startedAt: nullableDateTime,
    endedAt: nullableDateTime,
    detail: { type: ['string', 'null'] },
    deployments: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['deploymentId', 'name', 'fromTokenId', 'toTokenId', 'state', 'downtimeMs'],
        properties: {
          deploymentId: { type: 'string' },
          name: { type: 'string' },
          fromTokenId: { type: 'string' },
          toTokenId: { type: 'string' },
          state: { type: 'string', enum: ['pending', 'moving', 'done', 'failed'] },
          downtimeMs: { type: ['integer', 'null'] },
        },
      },
    },
    clients: { type: 'array', items: clientJson },
    quietUntil: nullableDateTime,
  },
} as const;

export const rotationRunJson = {
  type: 'object',
  additionalProperties: false,
  required: [
    'rotationId',
    'workspaceId',
    'mode',
    'status',
    'quietSeconds',
    'timeoutSeconds',
    'force',
    'startedBy',
    'error',
    'fromTokenIds',
    'brokerCutoff',
    'steps',
    'createdAt',
    'updatedAt',
    'endedAt',
  ],
  properties: {
    rotationId: { type: 'string' },
    workspaceId: { type: 'string' },
    mode: { type: 'string', enum: ['zero-downtime', 'restart-deployments'] },
    status: { type: 'string', enum: ['running', 'succeeded', 'failed', 'cancelled'] },
    quietSeconds: { type: 'integer' },
    timeoutSeconds: { type: 'integer' },
    force: { type: 'boolean' },
    startedBy: { type: 'string' },
    error: { type: ['string', 'null'] },
    fromTokenIds: {
      type: 'object',
      additionalProperties: false,
      required: ['token1', 'token2'],
      properties: { token1: { type: 'string' }, token2: { type: 'string' } },
    },
    brokerCutoff: { type: ['string', 'null'], enum: ['pending', 'done', null] },
    steps: { type: 'array', items: stepJson },
    createdAt: dateTime,
    updatedAt: dateTime,
    endedAt: nullableDateTime,
  },
} as const;

const deploymentSummary = {
  type: 'object',
  additionalProperties: false,
  required: ['deploymentId', 'name', 'status'],
  properties: {
    deploymentId: { type: 'string' },
    name: { type: 'string' },
    status: { type: 'string', enum: deploymentStatuses },
  },
} as const;

const tokenRef = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'hint'],
  properties: { id: { type: 'string' }, hint: { type: 'string' } },
} as const;

const runParams = {
  type: 'object',
  additionalProperties: false,
  required: ['workspaceId', 'rotationId'],
  properties: {
    workspaceId: { type: 'string', minLength: 1, maxLength: 128 },
    rotationId: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

const tags = ['streaming tokens'];
const errors = { ...authErrors, 409: errorBody, 428: errorBody } as const;

export const rotationPlanSchema = {
  tags,
  summary:
    "Whether rotating now would cut anyone off (the portal's verdict on Token 1), what a zero-downtime run would move, and the run in progress. ETag: the pair.",
  params: workspaceIdParam,
  response: {
    200: {
      type: 'object',
      additionalProperties: false,
      required: [
        'workspaceId',
        'token1',
        'token2',
        'verdict',
        'summary',
        'quietSeconds',
        'recommendedMode',
        'deploymentsOnToken1',
        'deploymentsOnToken2',
        'outsideClients',
        'activeRun',
        'canRotate',
      ],
      properties: {
        workspaceId: { type: 'string' },
        token1: tokenRef,
        token2: tokenRef,
        verdict: { type: 'string', enum: ['unused', 'in-use'] },
        summary: { type: 'string' },
        quietSeconds: { type: 'integer' },
        recommendedMode: { type: 'string', enum: ['zero-downtime', 'restart-deployments', 'rotate-only'] },
        deploymentsOnToken1: { type: 'array', items: deploymentSummary },
        deploymentsOnToken2: { type: 'array', items: deploymentSummary },
        outsideClients: { type: 'array', items: clientJson },
        activeRun: { anyOf: [rotationRunJson, { type: 'null' }] },
        canRotate: { type: 'boolean' },
      },
    },
    ...errors,
    ...pathErrors,
  },
} as const;

export const startRotationSchema = {
  tags,
  summary:
    'Start a rotation run (Admin): zero-downtime moves every deployment on Token 1 to Token 2, waits until Token 1 is quiet, then rotates; restart-deployments rotates at once and restarts them. Needs If-Match.',
  params: workspaceIdParam,
  headers: {
    type: 'object',
    properties: { 'if-match': { type: 'string', description: 'The ETag of the token pair you saw.' } },
  },
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['mode'],
    properties: {
      mode: { type: 'string', enum: ['zero-downtime', 'restart-deployments'] },
      quietSeconds: {
        type: 'integer',
        minimum: 0,
        maximum: 86_400,
        description: 'How long Token 1 must go unused; default the broker JWT lifetime.',
      },
      timeoutSeconds: {
        type: 'integer',
        minimum: 10,
        maximum: 604_800,
        description: 'Default quietSeconds + 600.',
      },
      force: { type: 'boolean', description: 'Do not wait for outside clients of Token 1.' },
    },
  },
  response: { 202: rotationRunJson, ...errors, ...pathErrors, ...bodyErrors },
} as const;

export const listRotationRunsSchema = {
  tags,
  summary: "The workspace's latest rotation runs, newest first (at most 20).",
  params: workspaceIdParam,
  response: { 200: { type: 'array', items: rotationRunJson }, ...errors, ...pathErrors },
} as const;

export const getRotationRunSchema = {
  tags,
  summary: 'A rotation run and its steps.',
  params: runParams,
  response: { 200: rotationRunJson, ...errors, ...pathErrors },
} as const;

export const rotationRunActionSchema = (summary: string) =>
  ({
    tags,
    summary,
    params: runParams,
    response: { 200: rotationRunJson, ...errors, ...pathErrors },
  }) as const;

export type RotationRun = FromSchema<typeof rotationRunJson>;
export type RotationRunStep = RotationRun['steps'][number];
export type RotationPlan = FromSchema<(typeof rotationPlanSchema.response)[200]>;
export type StartRotationRequest = FromSchema<typeof startRotationSchema.body>;
export type RotationMode = StartRotationRequest['mode'];
