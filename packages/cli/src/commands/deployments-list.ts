import type { Deployment } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { deploymentJson, deploymentTable } from '../deployment-display.ts';
import { apiPath } from '../portal-api.ts';

export const deploymentsList: Command = {
  path: ['deployments', 'list'],
  summary: "A workspace's deployments: status, the streaming token each runs with, readiness, restarts.",
  details: [
    'TOKEN is the slot of the token a deployment runs with now ("deactivated" once rotated out);',
    '"restart required" when an instance still runs with an older token, command or variables.',
  ],
  args: [{ name: 'workspace', required: true }],
  options: {},
  examples: ['streamgate-cli deployments list acme', 'streamgate-cli deployments list acme --json'],
  async run(context, { args }) {
    const workspace = args.workspace!;
    const deployments = await (await context.api()).get<Deployment[]>(
      apiPath`/workspaces/${workspace}/deployments`,
    );
    if (context.json) return context.printJson(deployments.map(deploymentJson));
    if (deployments.length === 0) return context.print(`No deployments in workspace ${workspace}.`);
    context.print(deploymentTable(deployments, context.io.now()));
  },
};
