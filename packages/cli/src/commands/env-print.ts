import type { StreamingTokens } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { NotAllowedError } from '../errors.ts';
import { apiPath } from '../portal-api.ts';

export const envPrint: Command = {
  path: ['env'],
  summary: 'The .env lines a service needs for a workspace: Token 2, the portal URL, the workspace id.',
  details: [
    'Token 2 because it survives the next rotation (it becomes Token 1). Needs a role that may view',
    'token values (Admin, Manager, Editor); the view is audited.',
  ],
  args: [{ name: 'workspace', required: true }],
  options: {},
  examples: ['streamgate-cli env acme > .env', 'streamgate-cli env acme --json'],
  async run(context, { args }) {
    const workspace = args.workspace!;
    const api = await context.api();
    const pair = await api.get<StreamingTokens>(apiPath`/workspaces/${workspace}/streaming-tokens`);
    const token = pair.token2.value;
    if (token === undefined) {
      throw new NotAllowedError(
        `Your role in workspace '${workspace}' cannot view token values (Admin, Manager and Editor can).`,
      );
    }
    const variables = {
      Quix__Sdk__Token: token,
      Quix__Portal__Api: api.url,
      Quix__Workspace__Id: pair.workspaceId,
    };
    if (context.json) return context.printJson(variables);
    context.print(
      Object.entries(variables)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n'),
    );
    context.note(`Token 2 of '${workspace}' (${pair.token2.id}): keep this file out of version control.`);
  },
};
