import type { FromSchema } from 'json-schema-to-ts';
import {
  authErrors,
  bodyErrors,
  dateTime,
  errorBody,
  noContent,
  pathErrors,
  workspaceIdParam,
} from './http.ts';

/** JSON schemas of the deployment routes: the contract both ways (and the OpenAPI document). */
export const deploymentStatuses = [
  'Starting',
  'Running',
  'Stopping',
  'Stopped',
  'Error',
  'Completed',
] as const;
export const deploymentNamePattern = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';
export const variableNamePattern = '^[A-Za-z_][A-Za-z0-9_]{0,127}$';
export const maxVariableBytes = 16 * 1024;

const variableValue = {
  oneOf: [
    { type: 'string', maxLength: maxVariableBytes },
    {
      type: 'object',
      additionalProperties: false,
      properties: { value: { type: 'string', maxLength: maxVariableBytes }, secret: { type: 'boolean' } },
    },
  ],
} as const;

const variablesInput = {
  type: 'object',
  maxProperties: 100,
  propertyNames: { pattern: variableNamePattern },
  additionalProperties: variableValue,
  description:
    'NAME → value, or NAME → {"value", "secret": true}. Names [A-Za-z_][A-Za-z0-9_]*, not Quix__ (the platform sets those). A secret given as {"secret": true} without a value keeps the value it had.',
} as const;

const commandInput = {
  type: 'array',
  minItems: 1,
  maxItems: 64,
  items: { type: 'string', maxLength: 4096 },
  description: 'The argv: the program, then its arguments (no shell).',
} as const;

const changeableProperties = {
  image: {
    type: ['string', 'null'],
    minLength: 1,
    maxLength: 512,
    description:
      'A container image; required when deployments run on Kubernetes (ignored by the process runner).',
  },
  command: commandInput,
  workingDirectory: { type: ['string', 'null'], minLength: 1, maxLength: 1024 },
  variables: variablesInput,
  replicas: { type: 'integer', minimum: 1, maximum: 10 },
  tokenSlot: { type: 'integer', enum: [1, 2] },
} as const;

export const createDeploymentBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'command'],
  properties: {
    name: { type: 'string', pattern: deploymentNamePattern, description: 'Unique in the workspace.' },
    ...changeableProperties,
    start: { type: 'boolean', description: 'Start it at once (default true).' },
  },
} as const;

export const updateDeploymentBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: changeableProperties,
} as const;

export const deploymentJson = {
  type: 'object',
  additionalProperties: false,
  required: [
    'deploymentId',
    'workspaceId',
    'name',
    'command',
    'workingDirectory',
    'replicas',
    'variables',
    'desiredState',
    'status',
    'statusDetail',
    'tokenId',
    'tokenSlot',
    'runningTokenIds',
    'restartRequired',
    'replicasReady',
    'restartCount',
    'lastExit',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    deploymentId: { type: 'string' },
    workspaceId: { type: 'string' },
    name: { type: 'string' },
    image: { type: ['string', 'null'] },
    command: { type: 'array', items: { type: 'string' } },
    workingDirectory: { type: ['string', 'null'] },
    replicas: { type: 'integer' },
    variables: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['secret'],
        properties: { value: { type: 'string' }, secret: { type: 'boolean' } },
      },
      description: 'Secret values are never returned.',
    },
    desiredState: { type: 'string', enum: ['Running', 'Stopped'] },
    status: { type: 'string', enum: deploymentStatuses },
    statusDetail: { type: ['string', 'null'] },
    tokenId: { type: 'string', description: 'The streaming token it runs with.' },
    tokenSlot: { type: ['integer', 'null'], enum: [1, 2, null], description: "That token's slot now." },
    runningTokenIds: { type: 'array', items: { type: 'string' } },
    restartRequired: {
      type: 'boolean',
      description: 'An instance runs with an older token, command or variables than the deployment has.',
    },
    replicasReady: { type: 'integer' },
    restartCount: { type: 'integer' },
    lastExit: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['code', 'signal', 'at'],
      properties: { code: { type: ['integer', 'null'] }, signal: { type: ['string', 'null'] }, at: dateTime },
    },
    createdAt: dateTime,
    updatedAt: dateTime,
  },
} as const;

export const deploymentParams = {
  type: 'object',
  additionalProperties: false,
  required: ['workspaceId', 'deploymentId'],
  properties: {
    workspaceId: { type: 'string', minLength: 1, maxLength: 128 },
    deploymentId: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

const tags = ['deployments'];
const errors = { ...authErrors, 409: errorBody } as const;

export const listDeploymentsSchema = {
  tags,
  summary: "The workspace's deployments with their status.",
  params: workspaceIdParam,
  response: { 200: { type: 'array', items: deploymentJson }, ...errors, ...pathErrors },
} as const;

export const createDeploymentSchema = {
  tags,
  summary: 'Create a deployment (Manager); it starts at once unless "start": false.',
  params: workspaceIdParam,
  body: createDeploymentBody,
  response: { 201: deploymentJson, ...errors, ...pathErrors, ...bodyErrors },
} as const;

export const getDeploymentSchema = {
  tags,
  summary: 'One deployment.',
  params: deploymentParams,
  response: { 200: deploymentJson, ...errors, ...pathErrors },
} as const;

export const updateDeploymentSchema = {
  tags,
  summary: 'Change a deployment (Manager); applied at its next start.',
  params: deploymentParams,
  body: updateDeploymentBody,
  response: { 200: deploymentJson, ...errors, ...pathErrors, ...bodyErrors },
} as const;

export const deleteDeploymentSchema = {
  tags,
  summary: 'Stop and delete a deployment (Manager).',
  params: deploymentParams,
  response: { 204: noContent, ...errors, ...pathErrors },
} as const;

export const deploymentActionSchema = (summary: string) =>
  ({
    tags,
    summary,
    params: deploymentParams,
    response: { 200: deploymentJson, ...errors, ...pathErrors },
  }) as const;

export const deploymentLogsSchema = {
  tags,
  summary:
    "The deployment's output (stdout and stderr), as text; follow=true streams it as it is written (Editor).",
  params: deploymentParams,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      tail: {
        type: 'string',
        pattern: '^([1-9][0-9]{0,3}|10000)$',
        description: 'How many lines, 1 to 10000 (default 200).',
      },
      follow: { type: 'string', enum: ['true', 'false'] },
    },
  },
  response: {
    200: {
      description: 'Text; with follow=true a stream that stays open.',
      content: { 'text/plain': { schema: { type: 'string', contentMediaType: 'text/plain' } } },
    },
    ...errors,
    ...pathErrors,
  },
} as const;

export type Deployment = FromSchema<typeof deploymentJson>;
export type CreateDeploymentRequest = FromSchema<typeof createDeploymentBody>;
export type UpdateDeploymentRequest = FromSchema<typeof updateDeploymentBody>;
export type DeploymentStatus = Deployment['status'];

/** What `POST .../deployments/{deploymentId}/{action}` takes as its last path segment. */
export const deploymentActions = ['start', 'stop', 'restart'] as const;
export type DeploymentAction = (typeof deploymentActions)[number];
