import { createTopicSchema, deleteTopicSchema, getTopicSchema, listTopicsSchema } from '@streamgate/contract';
import type { PortalApp } from '../http/portal-app.ts';
import { principalOf } from '../http/request-auth.ts';
import type { TopicRecord } from '../storage/storage.ts';
import { normaliseKeys } from './topic-rules.ts';
import type { TopicService } from './topic-service.ts';

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

export function registerTopicRoutes(app: PortalApp, deps: { topics: TopicService }): void {
  const { topics } = deps;

  app.get(
    '/:workspaceId/topics',
    { schema: listTopicsSchema, config: { access: 'topics.read' } },
    async (request) => (await topics.list(request.params.workspaceId)).map(topicJson),
  );

  app.get(
    '/:workspaceId/topics/:name',
    { schema: getTopicSchema, config: { access: 'topics.read' } },
    async (request) => topicJson(await topics.get(request.params.workspaceId, request.params.name)),
  );

  app.post(
    '/:workspaceId/topics',
    {
      schema: createTopicSchema,
      config: { access: 'topics.create' },
      // The Quix Portal API takes PascalCase keys too; the schema validates the camelCase form.
      preValidation: async (request) => {
        request.body = normaliseKeys(request.body) as typeof request.body;
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

  app.delete(
    '/:workspaceId/topics/:name',
    { schema: deleteTopicSchema, config: { access: 'topics.delete' } },
    async (request, reply) => {
      await topics.remove(principalOf(request), request.params.workspaceId, request.params.name, request.ip);
      return reply.status(204).send();
    },
  );
}
