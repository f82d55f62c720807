import type { FastifyInstance } from 'fastify';
import { principalOf } from '../http/request-auth.ts';
import { authErrors, dateTime, errorBody, noContent, workspaceIdParam } from '../http/schemas.ts';
import type { TopicRecord } from '../storage/storage.ts';
import { normaliseKeys, type TopicConfigurationInput } from './topic-rules.ts';
import type { TopicService } from './topic-service.ts';

const nullableInteger = { type: ['integer', 'null'] } as const;

const configurationBody = {
  type: 'object',
  additionalProperties: false,
  required: ['partitions', 'replicationFactor', 'retentionInMinutes', 'retentionInBytes', 'cleanupPolicy'],
  properties: {
    partitions: { type: 'integer' },
    replicationFactor: { type: 'integer' },
    retentionInMinutes: { type: 'integer' },
    retentionInBytes: { type: 'integer' },
    cleanupPolicy: { type: 'string', enum: ['Delete', 'Compact', 'DeleteAndCompact'] },
  },
} as const;

const topicBody = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'workspaceId', 'status', 'lastError', 'createdAt', 'updatedAt', 'configuration'],
  properties: {
    id: { type: 'string', description: 'The Kafka topic: {workspaceId}-{name}.' },
    name: { type: 'string' },
    workspaceId: { type: 'string' },
    status: { type: 'string', enum: ['Creating', 'Ready', 'Deleting', 'Error'] },
    lastError: { type: ['string', 'null'] },
    createdAt: dateTime,
    updatedAt: dateTime,
    configuration: configurationBody,
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

const topicErrors = { ...authErrors, 503: errorBody } as const;

type WorkspaceParams = { Params: { workspaceId: string } };
type TopicParams = { Params: { workspaceId: string; name: string } };
type CreateBody = { name: string; configuration?: TopicConfigurationInput | null };

export const topicJson = (topic: TopicRecord) => ({
  id: topic.kafkaName,
  name: topic.name,
  workspaceId: topic.workspaceId,
  status: topic.status,
  lastError: topic.lastError,
  createdAt: topic.createdAt,
  updatedAt: topic.updatedAt,
  configuration: topic.configuration,
});

export function registerTopicRoutes(app: FastifyInstance, deps: { topics: TopicService }): void {
  const { topics } = deps;

  app.get<WorkspaceParams>(
    '/:workspaceId/topics',
    {
      schema: {
        tags: ['topics'],
        summary: "The workspace's topics.",
        params: workspaceIdParam,
        response: { 200: { type: 'array', items: topicBody }, ...topicErrors },
      },
    },
    async (request) => (await topics.list(principalOf(request), request.params.workspaceId)).map(topicJson),
  );

  app.get<TopicParams>(
    '/:workspaceId/topics/:name',
    {
      schema: {
        tags: ['topics'],
        summary: 'One topic; 404 when it does not exist.',
        params: topicParams,
        response: { 200: topicBody, ...topicErrors },
      },
    },
    async (request) =>
      topicJson(await topics.get(principalOf(request), request.params.workspaceId, request.params.name)),
  );

  app.post<WorkspaceParams & { Body: CreateBody }>(
    '/:workspaceId/topics',
    {
      schema: {
        tags: ['topics'],
        summary:
          'Create a topic (nulls mean the defaults; PascalCase keys accepted). An existing name answers 400 "already exists".',
        params: workspaceIdParam,
        body: {
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
        },
        response: { 201: topicBody, 200: topicBody, ...topicErrors },
      },
      preValidation: async (request) => {
        request.body = normaliseKeys(request.body) as CreateBody;
      },
    },
    async (request, reply) => {
      const topic = await topics.create(
        principalOf(request),
        request.params.workspaceId,
        request.body,
        request.ip,
      );
      return reply.status(201).send(topicJson(topic));
    },
  );

  app.delete<TopicParams>(
    '/:workspaceId/topics/:name',
    {
      schema: {
        tags: ['topics'],
        summary: 'Delete a topic (Editor and above).',
        params: topicParams,
        response: { 204: noContent, ...topicErrors },
      },
    },
    async (request, reply) => {
      await topics.remove(principalOf(request), request.params.workspaceId, request.params.name, request.ip);
      return reply.status(204).send();
    },
  );
}
