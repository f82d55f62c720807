import { type Member, roles } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { memberUserId } from '../member-lookup.ts';
import { apiPath } from '../portal-api.ts';

export const membersSet: Command = {
  path: ['members', 'set'],
  summary:
    "Set a user's role in a workspace, replacing the inherited one (Admin). None blocks the workspace.",
  args: [
    { name: 'workspace', required: true },
    { name: 'user', required: true },
    { name: 'role', required: true },
  ],
  options: {},
  examples: [
    'streamgate-cli members set acme dev@example.com Editor',
    'streamgate-cli members set acme u-42 None',
  ],
  async run(context, { args, usage }) {
    const workspace = args.workspace!;
    const role = roles.find((candidate) => candidate.toLowerCase() === args.role!.trim().toLowerCase());
    if (!role) throw new UsageError(`<role> must be one of ${roles.join(', ')}.`, usage);
    const api = await context.api();
    const userId = await memberUserId(api, workspace, args.user!.trim());
    const { body } = await api.request<Member>('PUT', apiPath`/workspaces/${workspace}/members/${userId}`, {
      json: { role },
    });
    if (context.json) return context.printJson(body);
    context.print(
      `${body.email} is now ${body.effectiveRole} in workspace ${workspace} (organisation role ${body.organisationRole}).`,
    );
  },
};
