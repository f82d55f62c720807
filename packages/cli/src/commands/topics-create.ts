import { cleanupPolicies, type Topic } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { apiPath } from '../portal-api.ts';

export const topicsCreate: Command = {
  path: ['topics', 'create'],
  summary: 'Create a topic (Editor and above); the Kafka topic is <workspace>-<name>.',
  details: ['Options left out take the portal defaults. The portal needs a reachable Kafka broker.'],
  args: [
    { name: 'workspace', required: true },
    { name: 'name', required: true },
  ],
  options: {
    partitions: { type: 'string', placeholder: '<n>', description: 'Number of partitions.' },
    'replication-factor': { type: 'string', placeholder: '<n>', description: 'Replicas of each partition.' },
    'retention-minutes': {
      type: 'string',
      placeholder: '<n>',
      description: 'How long messages are kept; -1: unlimited (write --retention-minutes=-1).',
    },
    'retention-bytes': {
      type: 'string',
      placeholder: '<n>',
      description: 'How much each partition keeps; -1: unlimited.',
    },
    'cleanup-policy': {
      type: 'string',
      placeholder: '<policy>',
      description: `${cleanupPolicies.join(', ')}.`,
    },
  },
  examples: [
    'streamgate-cli topics create acme orders',
    'streamgate-cli topics create acme orders --partitions 6 --retention-minutes 1440 --cleanup-policy Compact',
  ],
  async run(context, { args, values }) {
    const workspace = args.workspace!;
    const configuration = {
      partitions: values.integer('partitions', { min: 1 }) ?? null,
      replicationFactor: values.integer('replication-factor', { min: 1 }) ?? null,
      retentionInMinutes: values.integer('retention-minutes', { min: -1 }) ?? null,
      retentionInBytes: values.integer('retention-bytes', { min: -1 }) ?? null,
      cleanupPolicy: values.oneOf('cleanup-policy', cleanupPolicies) ?? null,
    };
    const { body } = await (await context.api()).request<Topic>('POST', apiPath`/${workspace}/topics`, {
      json: { name: args.name, configuration },
    });
    if (context.json) return context.printJson(body);
    const c = body.configuration;
    context.print(
      `Created topic ${body.name} (Kafka topic ${body.id}): ${c.partitions} partitions, replication ${c.replicationFactor}, ` +
        `retention ${c.retentionInMinutes === -1 ? 'unlimited' : `${c.retentionInMinutes} min`}, cleanup ${c.cleanupPolicy}.`,
    );
  },
};
