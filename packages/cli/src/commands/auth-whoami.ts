import type { TokenDetails } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { formatDate, relativeTime, renderFields } from '../format.ts';

export const authWhoami: Command = {
  path: ['whoami'],
  summary: 'Who the token belongs to, what it may reach, when it expires (GET /auth/token/details).',
  args: [],
  options: {},
  examples: ['streamgate-cli whoami', 'STREAMGATE_TOKEN=sgp_... streamgate-cli whoami --json'],
  async run(context) {
    const connection = await context.connection();
    const details = await (await context.api()).get<TokenDetails>('/auth/token/details');
    if (context.json) {
      context.printJson({ url: connection.url, tokenSource: connection.tokenSource, ...details });
      return;
    }
    const now = context.io.now();
    const rows: [string, string][] = [['Portal', connection.url]];
    if (details.kind === 'streaming') {
      rows.push(['Token', `streaming token ${details.tokenId} of workspace ${details.workspaceId}`]);
    } else {
      rows.push(['User', `${details.email} (${details.userId})`]);
      if (details.kind === 'pat') {
        rows.push(['Token', `personal access token ${details.tokenId}`]);
        rows.push(['Expires', `${formatDate(details.expiresAt)} (${relativeTime(details.expiresAt, now)})`]);
        rows.push([
          'Scope',
          `${details.workspaces ? `workspaces ${details.workspaces.join(', ')}` : 'all your workspaces'}${details.readOnly ? ', read-only' : ''}`,
        ]);
      }
    }
    rows.push([
      'From',
      { flag: '--token', env: 'STREAMGATE_TOKEN', config: 'the saved login' }[connection.tokenSource],
    ]);
    context.print(renderFields(rows));
  },
};
