import type { Member } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { memberUserId } from '../member-lookup.ts';
import { apiPath } from '../portal-api.ts';

export const membersReset: Command = {
  path: ['members', 'reset'],
  summary: "Remove a user's workspace override: back to the organisation role (Admin).",
  args: [
    { name: 'workspace', required: true },
    { name: 'user', required: true },
  ],
  options: {},
  examples: ['streamgate-cli members reset acme dev@example.com'],
  async run(context, { args }) {
    const workspace = args.workspace!;
    const api = await context.api();
    const userId = await memberUserId(api, workspace, args.user!.trim());
    const { body } = await api.request<Member>('DELETE', apiPath`/workspaces/${workspace}/members/${userId}`);
    if (context.json) return context.printJson(body);
    context.print(
      `${body.email} is back on the organisation role ${body.effectiveRole} in workspace ${workspace}.`,
    );
  },
};
