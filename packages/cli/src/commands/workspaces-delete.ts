import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { apiPath } from '../portal-api.ts';

export const workspacesDelete: Command = {
  path: ['workspaces', 'delete'],
  summary: 'Delete a workspace, its streaming tokens and its topics (Admin). Needs --yes.',
  details: ['Every service using its tokens loses access. There is no undo.'],
  args: [{ name: 'id', required: true }],
  options: {
    yes: { type: 'boolean', required: true, description: 'Confirm the deletion.' },
  },
  examples: ['streamgate-cli workspaces delete acme-staging --yes'],
  async run(context, { args, values, usage }) {
    const id = args.id!;
    if (!values.flag('yes')) {
      throw new UsageError(
        `Deleting workspace '${id}' removes its tokens and topics for good; add --yes to confirm.`,
        usage,
      );
    }
    await (await context.api()).request('DELETE', apiPath`/workspaces/${id}`);
    if (context.json) return context.printJson({ workspaceId: id, deleted: true });
    context.print(`Deleted workspace ${id}.`);
  },
};
