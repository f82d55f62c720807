import type { Workspace } from '@streamgate/contract';
import type { Command } from '../command.ts';

export const workspacesCreate: Command = {
  path: ['workspaces', 'create'],
  summary: 'Create a workspace with its two streaming tokens (organisation Admin).',
  details: [
    'Ids: lowercase letters and digits in dash-separated groups, at most 64 characters; no id may be a',
    'dash-prefix of another (acme and acme-prod cannot both exist), because topics are named <id>-<topic>.',
  ],
  args: [{ name: 'id', required: true }],
  options: {
    name: { type: 'string', required: true, placeholder: '<name>', description: 'The display name.' },
  },
  examples: ['streamgate-cli workspaces create acme --name "Acme production"'],
  async run(context, { args, values }) {
    const name = values.requiredString('name');
    const api = await context.api();
    const { body } = await api.request<Workspace>('POST', '/workspaces', {
      json: { workspaceId: args.id, name },
    });
    if (context.json) return context.printJson(body);
    context.print(`Created workspace ${body.workspaceId} (${body.name}).`);
    context.note(`Its streaming tokens: streamgate-cli tokens show ${body.workspaceId}`);
  },
};
