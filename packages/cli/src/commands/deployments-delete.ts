import type { Command } from '../command.ts';
import { deploymentPath, findDeployment } from '../deployment-lookup.ts';
import { AbortedError, UsageError } from '../errors.ts';

export const deploymentsDelete: Command = {
  path: ['deployments', 'delete'],
  summary: 'Stop and delete a deployment, its settings and logs (Manager).',
  details: [
    'Asks for confirmation on a terminal; without one (scripts, CI) it refuses unless --yes is given.',
  ],
  args: [
    { name: 'workspace', required: true },
    { name: 'deployment', required: true },
  ],
  options: {
    yes: { type: 'boolean', short: 'y', description: 'Delete without asking.' },
  },
  examples: [
    'streamgate-cli deployments delete acme orders',
    'streamgate-cli deployments delete acme orders --yes',
  ],
  async run(context, { args, values, usage }) {
    const workspace = args.workspace!;
    const api = await context.api();
    const deployment = await findDeployment(api, workspace, args.deployment!);
    const what = `deployment ${deployment.name} (${deployment.deploymentId}) of workspace '${workspace}'`;
    if (!values.flag('yes')) {
      if (!context.io.stdin.isTTY) {
        throw new UsageError(
          `Not deleting ${what}: stdin is not a terminal, so no one can confirm. Add --yes to delete without asking.`,
          usage,
        );
      }
      const running =
        deployment.status === 'Stopped' || deployment.status === 'Completed' ? '' : ' It is stopped first.';
      context.note(`Deleting ${what}.${running} There is no undo.`);
      if (!(await context.confirm(`Delete ${deployment.name}?`)))
        throw new AbortedError('Nothing was deleted.');
    }
    await api.request('DELETE', deploymentPath(workspace, deployment));
    if (context.json) {
      return context.printJson({
        workspaceId: workspace,
        deploymentId: deployment.deploymentId,
        deleted: true,
      });
    }
    context.print(`Deleted ${what}.`);
  },
};
