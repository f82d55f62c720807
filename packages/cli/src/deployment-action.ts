import type { Deployment, DeploymentAction } from '@streamgate/contract';
import type { Command } from './command.ts';
import { deploymentJson, deploymentToken } from './deployment-display.ts';
import { deploymentPath, findDeployment } from './deployment-lookup.ts';

/** `deployments start|stop|restart <workspace> <deployment>`: one POST, the deployment after it. */
export function deploymentAction(
  action: DeploymentAction,
  summary: string,
  details: readonly string[],
): Command {
  return {
    path: ['deployments', action],
    summary,
    details,
    args: [
      { name: 'workspace', required: true },
      { name: 'deployment', required: true },
    ],
    options: {},
    examples: [`streamgate-cli deployments ${action} acme orders`],
    async run(context, { args }) {
      const workspace = args.workspace!;
      const api = await context.api();
      const found = await findDeployment(api, workspace, args.deployment!);
      const { body } = await api.request<Deployment>('POST', `${deploymentPath(workspace, found)}/${action}`);
      if (context.json) return context.printJson(deploymentJson(body));
      context.print(
        `Asked ${body.name} (${body.deploymentId}) to ${action}: ${body.status} now, wanted ${body.desiredState}; ` +
          `${deploymentToken(body)}, ${body.replicasReady}/${body.replicas} ready.`,
      );
    },
  };
}
