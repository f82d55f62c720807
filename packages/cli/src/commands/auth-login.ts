import type { TokenDetails } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { configFilePath, writeConfigFile } from '../config-file.ts';
import { checkTokenText, normalisePortalUrl } from '../connection.ts';
import { UsageError } from '../errors.ts';
import { formatDate } from '../format.ts';
import { PortalApi } from '../portal-api.ts';
import { readAllStdin } from '../prompt.ts';
import { userAgent } from '../version.ts';

export const authLogin: Command = {
  path: ['login'],
  summary: 'Check a personal access token against a portal and save both for later commands.',
  details: [
    'The token is verified with GET /auth/token/details first; nothing is saved if the portal refuses it.',
    'The token comes from --token, else STREAMGATE_TOKEN, else stdin (so that it stays out of the shell history).',
    'Saved to $XDG_CONFIG_HOME/streamgate/config.json (default ~/.config/streamgate/config.json), mode 0600.',
  ],
  args: [],
  options: {
    url: {
      type: 'string',
      required: true,
      placeholder: '<portal>',
      description: 'The portal, e.g. https://portal.example.com.',
    },
    token: { type: 'string', placeholder: '<pat>', description: 'A personal access token (sgp_...).' },
  },
  examples: [
    'streamgate-cli login --url http://127.0.0.1:8700 --token sgp_...',
    'pass show streamgate/pat | streamgate-cli login --url https://portal.example.com',
  ],
  async run(context, { usage }) {
    const { env } = context.io;
    const urlText = context.flags.url ?? (env.STREAMGATE_URL?.trim() || undefined);
    if (urlText === undefined) throw new UsageError('--url is required (or set STREAMGATE_URL).', usage);
    const url = normalisePortalUrl(urlText, context.flags.url !== undefined ? '--url' : 'STREAMGATE_URL');

    let token: string;
    if (context.flags.token !== undefined) token = checkTokenText(context.flags.token, '--token');
    else if (env.STREAMGATE_TOKEN?.trim()) token = checkTokenText(env.STREAMGATE_TOKEN, 'STREAMGATE_TOKEN');
    else if (context.io.stdin.isTTY) {
      throw new UsageError(
        '--token is required (or set STREAMGATE_TOKEN, or pipe the token on stdin).',
        usage,
      );
    } else token = checkTokenText(await readAllStdin(context.io), 'The token on stdin');

    const details = await new PortalApi({ url, token, userAgent }).get<TokenDetails>('/auth/token/details');
    if (details.kind !== 'pat') {
      throw new UsageError(
        `That is a ${details.kind} token; login saves a personal access token (sgp_...). Create one with 'streamgate-cli pats create' or in the web portal.`,
        usage,
      );
    }
    const path = configFilePath(env);
    await writeConfigFile(path, { url, token });
    if (context.json) context.printJson({ url, configFile: path, ...details });
    else {
      context.print(
        `Logged in to ${url} as ${details.email} (personal access token ${details.tokenId}, expires ${formatDate(details.expiresAt)}).`,
      );
    }
    context.note(`Saved to ${path} (mode 0600).`);
  },
};
