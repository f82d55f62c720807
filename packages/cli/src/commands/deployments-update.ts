import type { Deployment } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { deploymentJson } from '../deployment-display.ts';
import { deploymentOptions, refuseSlotAsToken, updateBody } from '../deployment-input.ts';
import { deploymentPath, findDeployment } from '../deployment-lookup.ts';

export const deploymentsUpdate: Command = {
  path: ['deployments', 'update'],
  summary: "Change a deployment's command, working directory, replicas, token or variables (Manager).",
  details: [
    'Only what is given changes: other variables (secret ones included) are kept, --unset drops one.',
    'Changes apply at the next start: "restart required" shows until then (deployments restart).',
  ],
  args: [
    { name: 'workspace', required: true },
    { name: 'deployment', required: true },
  ],
  trailing: { name: 'command', description: 'A new program and arguments, replacing the old ones.' },
  options: {
    ...deploymentOptions,
    unset: { type: 'string', multiple: true, placeholder: '<NAME>', description: 'Remove a variable.' },
  },
  examples: [
    'streamgate-cli deployments update acme orders --replicas 3',
    'streamgate-cli deployments update acme orders --secret DB_PASSWORD=... --unset OLD_FLAG',
    'streamgate-cli deployments update acme orders -- python main.py --batch 500',
  ],
  async run(context, input) {
    refuseSlotAsToken(context, input.usage);
    const workspace = input.args.workspace!;
    const api = await context.api();
    const current = await findDeployment(api, workspace, input.args.deployment!);
    const body = updateBody(input, current);
    const { body: updated } = await api.request<Deployment>('PUT', deploymentPath(workspace, current), {
      json: body,
    });
    if (context.json) return context.printJson(deploymentJson(updated));
    context.print(
      `Updated deployment ${updated.name} (${updated.deploymentId}): ${Object.keys(body).join(', ')}.`,
    );
    if (updated.restartRequired && updated.desiredState === 'Running') {
      context.note(
        `It runs the old settings until restarted: streamgate-cli deployments restart ${workspace} ${updated.name}`,
      );
    }
  },
};
