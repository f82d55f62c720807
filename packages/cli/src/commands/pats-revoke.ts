import type { Command } from '../command.ts';
import { apiPath } from '../portal-api.ts';

export const patsRevoke: Command = {
  path: ['pats', 'revoke'],
  summary: 'Revoke one of your personal access tokens, effective on its very next request.',
  args: [{ name: 'id', required: true }],
  options: {},
  examples: ['streamgate-cli pats revoke pat-3f2a...'],
  async run(context, { args }) {
    const id = args.id!;
    await (await context.api()).request('DELETE', apiPath`/profile/tokens/${id}`);
    if (context.json) return context.printJson({ id, revoked: true });
    context.print(`Revoked personal access token ${id}.`);
  },
};
