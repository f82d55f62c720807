import type { PersonalAccessToken } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { formatDate, relativeTime, renderTable } from '../format.ts';
import { patScope, patStatus } from '../pat-display.ts';

export const patsList: Command = {
  path: ['pats', 'list'],
  summary: 'Your personal access tokens (never their values), revoked and expired ones included.',
  args: [],
  options: {},
  examples: ['streamgate-cli pats list', 'streamgate-cli pats list --json'],
  async run(context) {
    const pats = await (await context.api()).get<PersonalAccessToken[]>('/profile/tokens');
    if (context.json) return context.printJson(pats);
    if (pats.length === 0) return context.print('No personal access tokens.');
    const now = context.io.now();
    context.print(
      renderTable(
        ['ID', 'NAME', 'STATUS', 'EXPIRES', 'LAST USED', 'WORKSPACES'],
        pats.map((pat) => [
          pat.id,
          pat.name,
          patStatus(pat, now),
          formatDate(pat.expiresAt),
          relativeTime(pat.lastUsedAt, now),
          patScope(pat),
        ]),
      ),
    );
  },
};
