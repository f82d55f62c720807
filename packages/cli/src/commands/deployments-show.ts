import type { Deployment } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { deploymentFields, deploymentJson } from '../deployment-display.ts';
import { deploymentPath, findDeployment } from '../deployment-lookup.ts';

export const deploymentsShow: Command = {
  path: ['deployments', 'show'],
  summary: 'One deployment: status, token, command, variables (secret ones by name only), last exit.',
  args: [
    { name: 'workspace', required: true },
    { name: 'deployment', required: true },
  ],
  options: {},
  examples: [
    'streamgate-cli deployments show acme orders',
    'streamgate-cli deployments show acme dep-3f2a --json',
  ],
  async run(context, { args }) {
    const workspace = args.workspace!;
    const api = await context.api();
    const found = await findDeployment(api, workspace, args.deployment!);
    const deployment = await api.get<Deployment>(deploymentPath(workspace, found));
    if (context.json) return context.printJson(deploymentJson(deployment));
    context.print(deploymentFields(deployment, context.io.now()));
  },
};
