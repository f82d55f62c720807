import type { TokenDetails } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { configFilePath, readConfigFile, removeConfigFile } from '../config-file.ts';
import { ApiError } from '../errors.ts';
import { apiPath, PortalApi } from '../portal-api.ts';
import { userAgent } from '../version.ts';

export const authLogout: Command = {
  path: ['logout'],
  summary: 'Forget the saved login; with --revoke, revoke the saved token at the portal first.',
  details: [
    'Without --revoke the token itself stays valid until it expires (revoke it later with pats revoke <id>).',
  ],
  args: [],
  options: {
    revoke: { type: 'boolean', description: 'Revoke the saved token at the portal before forgetting it.' },
  },
  examples: ['streamgate-cli logout', 'streamgate-cli logout --revoke'],
  async run(context, { values }) {
    const path = configFilePath(context.io.env);
    const { config } = await readConfigFile(path);
    if (!config) {
      context.note(`Not logged in: there is no ${path}.`);
      return;
    }
    let revoked: string | null = null;
    if (values.flag('revoke')) {
      const api = new PortalApi({ url: config.url, token: config.token, userAgent });
      try {
        const details = await api.get<TokenDetails>('/auth/token/details');
        if (details.kind === 'pat' && details.tokenId) {
          await api.request('DELETE', apiPath`/profile/tokens/${details.tokenId}`);
          revoked = details.tokenId;
        }
      } catch (error) {
        // 401: already revoked or expired, so there is nothing left to revoke; anything else
        // keeps the file, so that the user can try again.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
        context.note(`The portal no longer accepts the saved token (${error.message}); forgetting it.`);
      }
    }
    await removeConfigFile(path);
    if (context.json) context.printJson({ url: config.url, configFile: path, removed: true, revoked });
    else if (revoked) context.print(`Revoked personal access token ${revoked} and removed ${path}.`);
    else context.print(`Removed ${path}.`);
    if (!values.flag('revoke')) {
      context.note(
        "The token itself is still valid until it expires: 'streamgate-cli logout --revoke' or 'pats revoke <id>' ends it.",
      );
    }
  },
};
