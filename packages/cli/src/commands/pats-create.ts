import type { CreatedPersonalAccessToken } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { normalisePortalUrl } from '../connection.ts';
import { UsageError } from '../errors.ts';
import { parseExpiry } from '../expiry.ts';
import { formatDate } from '../format.ts';
import { patScope } from '../pat-display.ts';
import { PortalApi } from '../portal-api.ts';
import { readAllStdin } from '../prompt.ts';
import { userAgent } from '../version.ts';

export const patsCreate: Command = {
  path: ['pats', 'create'],
  summary: 'Create a personal access token; prints it once, alone on stdout.',
  details: [
    'The token never expires later than a year from now, and never has more power than you have.',
    'The portal makes personal access tokens for password logins only (a token cannot mint another):',
    'pass --email, and the password comes from STREAMGATE_PASSWORD, else stdin; the session ends at once.',
  ],
  args: [],
  options: {
    name: { type: 'string', required: true, placeholder: '<name>', description: 'What it is for.' },
    expires: {
      type: 'string',
      required: true,
      placeholder: '<30d|date>',
      description: 'A number of days (30d) or an ISO date or date-time (2026-03-01 is 00:00 UTC).',
    },
    workspace: {
      type: 'string',
      multiple: true,
      placeholder: '<ws>',
      description: 'Only this workspace (default: all of yours).',
    },
    'read-only': { type: 'boolean', description: 'Reads only.' },
    email: {
      type: 'string',
      placeholder: '<email>',
      description: 'Log in as this user to create it (password: STREAMGATE_PASSWORD or stdin).',
    },
  },
  examples: [
    'pass show streamgate/password | streamgate-cli pats create --email me@example.com --name ci-deploy --expires 30d --workspace acme > pat.txt',
    'streamgate-cli pats create --name dashboards --expires 2026-06-30 --read-only',
  ],
  async run(context, { values, usage }) {
    const name = values.requiredString('name');
    const expiry = parseExpiry(values.requiredString('expires'), context.io.now());
    if ('problem' in expiry) throw new UsageError(expiry.problem, usage);
    const workspaces = values.strings('workspace').map((ws) => ws.trim());
    if (workspaces.some((ws) => ws.length === 0)) throw new UsageError('--workspace is empty.', usage);

    const email = values.string('email')?.trim();
    let api: PortalApi;
    if (email) {
      const { env } = context.io;
      const urlText = context.flags.url ?? (env.STREAMGATE_URL?.trim() || undefined);
      const url = urlText
        ? normalisePortalUrl(urlText, context.flags.url !== undefined ? '--url' : 'STREAMGATE_URL')
        : (await context.connection()).url;
      let password = env.STREAMGATE_PASSWORD;
      if (!password) {
        if (context.io.stdin.isTTY)
          throw new UsageError('Set STREAMGATE_PASSWORD or pipe the password on stdin.', usage);
        password = (await readAllStdin(context.io)).replace(/\r?\n$/, '');
      }
      api = await PortalApi.logIn({ url, email, password, userAgent });
    } else api = await context.api();
    let created: Awaited<ReturnType<typeof api.request<CreatedPersonalAccessToken>>>;
    try {
      created = await api.request<CreatedPersonalAccessToken>('POST', '/profile/tokens', {
        json: {
          name,
          expiresAt: expiry.expiresAt.toISOString(),
          ...(workspaces.length > 0 ? { workspaces } : {}),
          ...(values.flag('read-only') ? { readOnly: true } : {}),
        },
      });
    } finally {
      if (email) await api.logOut().catch(() => {});
    }
    const { body } = created;
    if (context.json) context.printJson(body);
    else context.print(body.token);
    context.note(
      `Created personal access token '${body.name}' (${body.id}; expires ${formatDate(body.expiresAt)}; workspaces: ${patScope(body)}).` +
        '\nIt will not be shown again: store it now.',
    );
  },
};
