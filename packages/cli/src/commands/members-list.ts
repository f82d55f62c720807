import type { Member } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { renderTable } from '../format.ts';
import { apiPath } from '../portal-api.ts';

export const membersList: Command = {
  path: ['members', 'list'],
  summary: "Every user's role in a workspace: organisation role, override, effective role (Admin, Manager).",
  args: [{ name: 'workspace', required: true }],
  options: {},
  examples: ['streamgate-cli members list acme', 'streamgate-cli members list acme --json'],
  async run(context, { args }) {
    const members = await (await context.api()).get<Member[]>(
      apiPath`/workspaces/${args.workspace!}/members`,
    );
    if (context.json) return context.printJson(members);
    if (members.length === 0) return context.print('No members.');
    context.print(
      renderTable(
        ['USER ID', 'EMAIL', 'NAME', 'ORGANISATION', 'OVERRIDE', 'EFFECTIVE'],
        members.map((member) => [
          member.userId,
          member.email,
          member.name,
          member.organisationRole,
          member.workspaceRole ?? '-',
          member.effectiveRole,
        ]),
      ),
    );
  },
};
