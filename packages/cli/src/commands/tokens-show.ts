import type { StreamingTokens } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { NotAllowedError } from '../errors.ts';
import { apiPath } from '../portal-api.ts';
import { clientTable, pairJson, pairTable } from '../token-usage.ts';

export const tokensShow: Command = {
  path: ['tokens', 'show'],
  summary:
    "A workspace's Token 1 and Token 2: values masked (--reveal shows them), last use, recent clients.",
  details: [
    'Viewers see usage only. Without --reveal the portal sends no values and audits nothing; with --reveal,',
    'Admin, Manager and Editor get the values and the portal audits the view (streaming_tokens.view).',
  ],
  args: [{ name: 'workspace', required: true }],
  options: {
    reveal: { type: 'boolean', description: 'Print the token values in full.' },
  },
  examples: [
    'streamgate-cli tokens show acme',
    'streamgate-cli tokens show acme --reveal',
    "streamgate-cli tokens show acme --json | jq '.token1.recentClients'",
  ],
  async run(context, { args, values }) {
    const workspace = args.workspace!;
    const reveal = values.flag('reveal');
    const { body: pair, headers } = await (await context.api()).request<StreamingTokens>(
      'GET',
      // Without --reveal, ask for usage only: nothing is revealed, so nothing is audited.
      `${apiPath`/workspaces/${workspace}/streaming-tokens`}${reveal ? '' : '?values=false'}`,
    );
    if (reveal && !pair.canViewValues) {
      throw new NotAllowedError(
        `Your role in workspace '${workspace}' cannot view token values (Admin, Manager and Editor can).`,
      );
    }
    if (context.json) return context.printJson(pairJson(pair, headers.get('etag'), reveal));

    const now = context.io.now();
    const lines = [`Streaming tokens of workspace ${pair.workspaceId}`, '', pairTable(pair, now, reveal)];
    for (const [label, token] of [
      ['Token 1', pair.token1],
      ['Token 2', pair.token2],
    ] as const) {
      lines.push('');
      if (token.recentClients.length === 0) lines.push(`${label}: no recorded clients.`);
      else lines.push(`Recent clients of ${label}:`, clientTable(token.recentClients, now));
    }
    context.print(lines.join('\n'));
    if (pair.canViewValues && !reveal) context.note('Values are masked; --reveal prints them.');
  },
};
