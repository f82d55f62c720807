import type { StreamingToken, StreamingTokens } from '@streamgate/contract';
import { formatDate, maskToken, relativeTime, renderTable } from './format.ts';

// Whether a token is "in use" is the portal's verdict (GET .../rotation-plan), never a rule here.

/** Clients of a token, as the portal lists them: user agent, address, deployment id, when. */
export function clientTable(clients: StreamingToken['recentClients'], now: Date, indent = '  '): string {
  return renderTable(
    ['USER AGENT', 'ADDRESS', 'DEPLOYMENT', 'LAST USED'],
    clients.map((client) => [
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
