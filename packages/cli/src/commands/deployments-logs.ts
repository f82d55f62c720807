import type { Command } from '../command.ts';
import { deploymentPath, findDeployment } from '../deployment-lookup.ts';
import { UsageError } from '../errors.ts';

export const deploymentsLogs: Command = {
  path: ['deployments', 'logs'],
  summary:
    "A deployment's output (stdout and stderr of its instances); --follow streams it (Editor and above).",
  details: ['With --follow it keeps printing what the service writes until Ctrl-C (exit 0).'],
  args: [
    { name: 'workspace', required: true },
    { name: 'deployment', required: true },
  ],
  options: {
    follow: { type: 'boolean', short: 'f', description: 'Keep printing as the service writes.' },
    tail: {
      type: 'string',
      placeholder: '<n>',
      description: 'Start with the last n lines, 1 to 10000 (the portal default: 200).',
    },
  },
  examples: [
    'streamgate-cli deployments logs acme orders',
    'streamgate-cli deployments logs acme orders --follow --tail 20',
  ],
  async run(context, { args, values, usage }) {
    const workspace = args.workspace!;
    const follow = values.flag('follow');
    const tail = values.integer('tail', { min: 1, max: 10_000 });
    if (context.json && follow) throw new UsageError('--json cannot be combined with --follow.', usage);
    const api = await context.api();
    const deployment = await findDeployment(api, workspace, args.deployment!);

    const stop = new AbortController();
    const offInterrupt = follow ? context.io.onInterrupt(() => stop.abort()) : () => {};
    const query = {
      tail: tail === undefined ? undefined : String(tail),
      follow: follow ? 'true' : undefined,
    };
    let text = '';
    try {
      for await (const chunk of api.streamText(
        `${deploymentPath(workspace, deployment)}/logs`,
        query,
        stop.signal,
      )) {
        // The service's own output, as it is: never reformatted, so it can be piped on.
        if (context.json) text += chunk;
        else context.io.stdout.write(chunk);
      }
    } finally {
      offInterrupt();
    }
    if (context.json) {
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      context.printJson({ workspaceId: workspace, deploymentId: deployment.deploymentId, lines });
    }
  },
};
