import type { StreamingToken, StreamingTokens } from './api-types.ts';
import { formatDate, maskToken, relativeTime, renderTable } from './format.ts';

/** Used within this window counts as "recently": a rotation now would likely break someone. */
export const recentUseWindowMs = 24 * 60 * 60 * 1000;

export function usedRecently(token: StreamingToken, now: Date): boolean {
  return (
    token.lastUsedAt !== null && now.getTime() - new Date(token.lastUsedAt).getTime() < recentUseWindowMs
  );
}

/** The clients that used a token, newest first: user agent, address, deployment id, when. */
export function clientTable(token: StreamingToken, now: Date, indent = '  '): string {
  return renderTable(
    ['USER AGENT', 'ADDRESS', 'DEPLOYMENT', 'LAST USED'],
    token.recentClients.map((client) => [
      client.userAgent,
      client.address,
      client.deploymentId ?? '-',
      relativeTime(client.lastUsedAt, now),
    ]),
  )
    .split('\n')
    .map((line) => `${indent}${line}`)
    .join('\n');
}

export function pairTable(pair: StreamingTokens, now: Date, reveal: boolean): string {
  const value = (token: StreamingToken) => {
    if (reveal && token.value !== undefined) return token.value;
    return pair.canViewValues ? maskToken(`sgs_${token.hint}`) : '(hidden for your role)';
  };
  return renderTable(
    ['', 'ID', 'VALUE', 'CREATED', 'LAST USED'],
    (['token1', 'token2'] as const).map((slot, index) => {
      const token = pair[slot];
      return [
        `Token ${index + 1}`,
        token.id,
        value(token),
        formatDate(token.createdAt),
        relativeTime(token.lastUsedAt, now),
      ];
    }),
  );
}

/** The pair for --json: values only when revealed. */
export function pairJson(pair: StreamingTokens, etag: string | null, reveal: boolean) {
  const token = ({ value, ...rest }: StreamingToken) =>
    reveal && value !== undefined ? { ...rest, value } : rest;
  return { ...pair, etag, token1: token(pair.token1), token2: token(pair.token2) };
}
