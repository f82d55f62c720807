import type { Workspace } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { formatDate, renderTable } from '../format.ts';

export const workspacesList: Command = {
  path: ['workspaces', 'list'],
  summary: 'The workspaces you can see, with your role in each.',
  args: [],
  options: {},
  examples: ['streamgate-cli workspaces list', 'streamgate-cli workspaces list --json'],
  async run(context) {
    const workspaces = await (await context.api()).get<Workspace[]>('/workspaces');
    if (context.json) return context.printJson(workspaces);
    if (workspaces.length === 0) return context.print('No workspaces.');
    context.print(
      renderTable(
        ['ID', 'NAME', 'YOUR ROLE', 'CREATED'],
        workspaces.map((ws) => [ws.workspaceId, ws.name, ws.role ?? '-', formatDate(ws.createdAt)]),
      ),
    );
  },
};
