import type { Topic } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { formatDate, renderTable } from '../format.ts';
import { apiPath } from '../portal-api.ts';

export const topicsList: Command = {
  path: ['topics', 'list'],
  summary: "A workspace's topics with their configuration.",
  args: [{ name: 'workspace', required: true }],
  options: {},
  examples: ['streamgate-cli topics list acme', 'streamgate-cli topics list acme --json'],
  async run(context, { args }) {
    const workspace = args.workspace!;
    const topics = await (await context.api()).get<Topic[]>(apiPath`/${workspace}/topics`);
    if (context.json) return context.printJson(topics);
    if (topics.length === 0) return context.print(`No topics in workspace ${workspace}.`);
    context.print(
      renderTable(
        ['NAME', 'KAFKA TOPIC', 'STATUS', 'PARTITIONS', 'RETENTION', 'CLEANUP', 'CREATED'],
        topics.map((topic) => [
          topic.name,
          topic.id,
          topic.lastError ? `${topic.status}: ${topic.lastError}` : topic.status,
          String(topic.configuration.partitions),
          topic.configuration.retentionInMinutes === -1
            ? 'unlimited'
            : `${topic.configuration.retentionInMinutes} min`,
          topic.configuration.cleanupPolicy,
          formatDate(topic.createdAt),
        ]),
      ),
    );
  },
};
