import type { StreamingTokens } from '../api-types.ts';
import type { Command, CommandContext } from '../command.ts';
import { AbortedError, ApiError, CliError, NotAllowedError, UsageError } from '../errors.ts';
import { relativeTime } from '../format.ts';
import { apiPath } from '../portal-api.ts';
import { clientTable, pairJson, usedRecently } from '../token-usage.ts';

export const tokensRotate: Command = {
  path: ['tokens', 'rotate'],
  summary: 'Rotate: deactivate Token 1, promote Token 2, generate a new Token 2 (Admin).',
  details: [
    'First shows what will happen and who used Token 1 lately, then asks for confirmation on a terminal.',
    'Without a terminal (scripts, CI) it refuses unless --yes is given. The rotation names the pair it showed',
    '(If-Match with its ETag): if someone rotated in between, nothing is rotated and it says so.',
  ],
  args: [{ name: 'workspace', required: true }],
  options: {
    yes: { type: 'boolean', short: 'y', description: 'Rotate without asking.' },
  },
  examples: ['streamgate-cli tokens rotate acme', 'streamgate-cli tokens rotate acme --yes --json'],
  async run(context, { args, values, usage }) {
    const workspace = args.workspace!;
    const api = await context.api();
    const path = apiPath`/workspaces/${workspace}/streaming-tokens`;
    const { body: pair, headers } = await api.request<StreamingTokens>('GET', `${path}?values=false`);
    const etag = headers.get('etag');
    if (!etag) throw new CliError('CLI_API', 'The portal sent no ETag for the token pair; not rotating.', 1);
    if (!pair.canRotate) {
      throw new NotAllowedError(`Only an Admin of workspace '${workspace}' can rotate its streaming tokens.`);
    }

    describePlan(context, pair);
    if (!values.flag('yes')) {
      if (!context.io.stdin.isTTY) {
        throw new UsageError(
          'Not rotating: stdin is not a terminal, so no one can confirm. Add --yes to rotate without asking.',
          usage,
        );
      }
      if (!(await context.confirm(`Rotate the streaming tokens of '${workspace}' now?`))) {
        throw new AbortedError('Nothing was rotated.');
      }
    }

    let rotated: { body: StreamingTokens; headers: Headers };
    try {
      rotated = await api.request<StreamingTokens>('POST', `${path}/rotate`, {
        headers: { 'if-match': etag },
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        throw error.explained(await explainConflict(context, path, pair));
      }
      throw error;
    }

    const next = rotated.body;
    if (context.json) return context.printJson(pairJson(next, rotated.headers.get('etag'), false));
    context.print(
      [
        `Rotated the streaming tokens of workspace ${workspace}.`,
        `  deactivated: ${pair.token1.id} (the former Token 1)`,
        `  Token 1:     ${next.token1.id} (the former Token 2)`,
        `  Token 2:     ${next.token2.id} (new)`,
      ].join('\n'),
    );
    context.note(`Give services Token 2, which survives the next rotation: streamgate-cli env ${workspace}`);
  },
};

function describePlan(context: CommandContext, pair: StreamingTokens): void {
  const now = context.io.now();
  const { token1, token2 } = pair;
  const lines = [
    `Rotating the streaming tokens of workspace '${pair.workspaceId}':`,
    `  - Token 1 (${token1.id}) is deactivated: services still using it lose access within seconds.`,
    `  - Token 2 (${token2.id}) becomes Token 1: services using it keep working.`,
    '  - A new Token 2 is generated.',
    '',
  ];
  if (token1.lastUsedAt === null) {
    lines.push('Token 1 has never been used: rotating should not break anyone.');
  } else {
    lines.push(
      usedRecently(token1, now)
        ? `WARNING: Token 1 was used ${relativeTime(token1.lastUsedAt, now)}. These clients would lose access:`
        : `Token 1 was not used in the last 24 hours (last use ${relativeTime(token1.lastUsedAt, now)}). Its clients:`,
      clientTable(token1, now),
    );
  }
  if (token2.lastUsedAt !== null) {
    lines.push(
      `Token 2 was last used ${relativeTime(token2.lastUsedAt, now)}; its clients are not affected.`,
    );
  }
  context.note(lines.join('\n'));
}

/** After a 409: what the pair is now, and why rotating again right away would be a mistake. */
async function explainConflict(
  context: CommandContext,
  path: string,
  seen: StreamingTokens,
): Promise<string> {
  const workspace = seen.workspaceId;
  const lines = [
    `Someone else rotated the tokens of '${workspace}' after this command read them: this rotation was`,
    'refused and nothing more changed.',
  ];
  const now = await (await context.api()).get<StreamingTokens>(path).catch(() => null);
  if (now && now.token1.id === seen.token2.id) {
    lines.push(
      `What you asked for has already happened: ${seen.token1.id} is deactivated, ${seen.token2.id} is Token 1`,
      `and ${now.token2.id} is the new Token 2.`,
    );
  } else if (now) {
    lines.push(`The pair is now Token 1 ${now.token1.id}, Token 2 ${now.token2.id}.`);
  }
  lines.push(
    `Rotating again now would also deactivate the token that was Token 2 a moment ago, which services may`,
    `be moving to. Look first: streamgate-cli tokens show ${workspace}`,
  );
  return lines.join('\n');
}
