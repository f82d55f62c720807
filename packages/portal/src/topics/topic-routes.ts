import { createTopicSchema, deleteTopicSchema, getTopicSchema, listTopicsSchema } from '@streamgate/contract';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../http/request-auth.ts';
import type { TopicRecord } from '../storage/storage.ts';
import { normaliseKeys, type TopicConfigurationInput } from './topic-rules.ts';
import type { TopicService } from './topic-service.ts';

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
      schema: listTopicsSchema,
    },
    async (request) => (await topics.list(principalOf(request), request.params.workspaceId)).map(topicJson),
  );

  app.get<TopicParams>(
    '/:workspaceId/topics/:name',
    {
      schema: getTopicSchema,
    },
    async (request) =>
      topicJson(await topics.get(principalOf(request), request.params.workspaceId, request.params.name)),
  );

  app.post<WorkspaceParams & { Body: CreateBody }>(
    '/:workspaceId/topics',
    {
      schema: createTopicSchema,
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
      schema: deleteTopicSchema,
    },
    async (request, reply) => {
      await topics.remove(principalOf(request), request.params.workspaceId, request.params.name, request.ip);
      return reply.status(204).send();
    },
  );
}
