import type { Deployment } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { deploymentJson, deploymentToken } from '../deployment-display.ts';
import { createBody, deploymentOptions, refuseSlotAsToken } from '../deployment-input.ts';
import { apiPath } from '../portal-api.ts';

export const deploymentsCreate: Command = {
  path: ['deployments', 'create'],
  summary: 'Create a deployment: a command the portal runs with the workspace streaming token (Manager).',
  details: [
    'The command goes after --, as its words (no shell). Each instance gets Quix__Sdk__Token (the value',
    'of Token 1, or Token 2 with --token-slot 2), Quix__Portal__Api, Quix__Workspace__Id,',
    'Quix__Deployment__Id and Quix__Deployment__Name, plus --env and --secret. It starts at once',
    'unless --no-start. Secret values are never shown again, by the portal or by this CLI.',
  ],
  args: [{ name: 'workspace', required: true }],
  trailing: { name: 'command', description: 'The program and its arguments, e.g. -- python main.py.' },
  options: {
    name: {
      type: 'string',
      required: true,
      placeholder: '<name>',
      description: 'Lower case letters, digits and dashes; unique in the workspace.',
    },
    ...deploymentOptions,
    'no-start': { type: 'boolean', description: 'Create it stopped.' },
  },
  examples: [
    'streamgate-cli deployments create acme --name orders -- python main.py',
    'streamgate-cli deployments create acme --name sink --token-slot 2 --replicas 2 --env LOG_LEVEL=debug --secret DB_PASSWORD=... -- node sink.js',
  ],
  async run(context, input) {
    refuseSlotAsToken(context, input.usage);
    const workspace = input.args.workspace!;
    const body = createBody(input);
    const { body: created } = await (await context.api()).request<Deployment>(
      'POST',
      apiPath`/workspaces/${workspace}/deployments`,
      { json: body },
    );
    if (context.json) return context.printJson(deploymentJson(created));
    context.print(
      `Created deployment ${created.name} (${created.deploymentId}) in workspace ${workspace}: ${created.status}, ${deploymentToken(created)}.`,
    );
  },
};
