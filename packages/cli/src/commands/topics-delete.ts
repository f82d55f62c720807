import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { apiPath } from '../portal-api.ts';

export const topicsDelete: Command = {
  path: ['topics', 'delete'],
  summary: 'Delete a topic and its messages (Editor and above). Needs --yes.',
  args: [
    { name: 'workspace', required: true },
    { name: 'name', required: true },
  ],
  options: {
    yes: { type: 'boolean', required: true, description: 'Confirm the deletion.' },
  },
  examples: ['streamgate-cli topics delete acme orders --yes'],
  async run(context, { args, values, usage }) {
    const [workspace, name] = [args.workspace!, args.name!];
    if (!values.flag('yes')) {
      throw new UsageError(
        `Deleting topic '${name}' drops its messages for good; add --yes to confirm.`,
        usage,
      );
    }
    await (await context.api()).request('DELETE', apiPath`/${workspace}/topics/${name}`);
    if (context.json) return context.printJson({ workspaceId: workspace, name, deleted: true });
    context.print(`Deleted topic ${name} from workspace ${workspace}.`);
  },
};
