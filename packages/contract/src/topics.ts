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

/** How Kafka cleans a topic: the Quix Portal API's names (Kafka's `cleanup.policy`). */
export const cleanupPolicies = ['Delete', 'Compact', 'DeleteAndCompact'] as const;
export type CleanupPolicy = (typeof cleanupPolicies)[number];

export const topicStatuses = ['Creating', 'Ready', 'Deleting', 'Error'] as const;
export type TopicStatus = (typeof topicStatuses)[number];

/** A topic's name (the Kafka topic is `{workspaceId}-{name}`): letters, digits, dots, underscores and hyphens. */
export const topicNamePattern = '^[A-Za-z0-9._-]+$';

const nullableInteger = { type: ['integer', 'null'] } as const;

export const topicConfigurationBody = {
  type: 'object',
  additionalProperties: false,
  required: ['partitions', 'replicationFactor', 'retentionInMinutes', 'retentionInBytes', 'cleanupPolicy'],
  properties: {
    partitions: { type: 'integer' },
    replicationFactor: { type: 'integer' },
    retentionInMinutes: { type: 'integer' },
    retentionInBytes: { type: 'integer' },
    cleanupPolicy: { type: 'string', enum: cleanupPolicies },
  },
} as const;

export const topicBody = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'workspaceId', 'status', 'lastError', 'createdAt', 'updatedAt', 'configuration'],
  properties: {
    id: { type: 'string', description: 'The Kafka topic: {workspaceId}-{name}.' },
    name: { type: 'string' },
    workspaceId: { type: 'string' },
    status: { type: 'string', enum: topicStatuses },
    lastError: { type: ['string', 'null'] },
    createdAt: dateTime,
    updatedAt: dateTime,
    configuration: topicConfigurationBody,
  },
} as const;

const topicParams = {
  type: 'object',
  additionalProperties: false,
  required: ['workspaceId', 'name'],
  properties: {
    workspaceId: { type: 'string', minLength: 1, maxLength: 128 },
    name: { type: 'string', minLength: 1, maxLength: 300 },
  },
} as const;

/** 503: the broker cannot be reached and nothing was changed. */
const topicErrors = { ...authErrors, 503: errorBody } as const;

/**
 * The routes that ask Kafka: 503 PORTAL_BROKER_UNAVAILABLE (unreachable or not ready, nothing was
 * changed, retry later); 502 PORTAL_BROKER_REFUSED (the broker refused the portal itself, e.g. its
 * admin principal lacks a permission: an operator has to act). A refusal caused by the request
 * (invalid topic settings) is a 400.
 */
const brokerErrors = { ...topicErrors, 502: errorBody } as const;

/**
 * A new topic's settings: a null or missing one takes the portal's default. The route also
 * takes PascalCase keys (`Partitions`), as the Quix Portal API does.
 */
export const createTopicBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 249 },
    configuration: {
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        partitions: nullableInteger,
        replicationFactor: nullableInteger,
        retentionInMinutes: nullableInteger,
        retentionInBytes: nullableInteger,
        cleanupPolicy: { type: ['string', 'null'], maxLength: 32 },
      },
    },
  },
} as const;

export const listTopicsSchema = {
  tags: ['topics'],
  summary: "The workspace's topics.",
  params: workspaceIdParam,
  response: { 200: { type: 'array', items: topicBody }, ...topicErrors, ...pathErrors },
} as const;

export const getTopicSchema = {
  tags: ['topics'],
  summary: 'One topic; 404 when it does not exist.',
  params: topicParams,
  response: { 200: topicBody, ...topicErrors, ...pathErrors },
} as const;

export const createTopicSchema = {
  tags: ['topics'],
  summary:
    'Create a topic (nulls mean the defaults; PascalCase keys accepted). An existing name answers 400 "already exists".',
  params: workspaceIdParam,
  body: createTopicBody,
  response: { 201: topicBody, ...brokerErrors, ...pathErrors, ...bodyErrors },
} as const;

export const deleteTopicSchema = {
  tags: ['topics'],
  summary: 'Delete a topic (Editor and above).',
  params: topicParams,
  response: { 204: noContent, ...brokerErrors, ...pathErrors },
} as const;

export type Topic = FromSchema<typeof topicBody>;
export type TopicConfiguration = FromSchema<typeof topicConfigurationBody>;
export type CreateTopicRequest = FromSchema<typeof createTopicBody>;
export type TopicConfigurationRequest = NonNullable<CreateTopicRequest['configuration']>;
