import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamingToken } from '../../api/types.ts';
import { recentClientsOf, usageOf } from './token-usage.ts';

const now = Date.parse('2026-06-01T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

function token(lastUsedAt: string | null, clientsAt: string[] = []): StreamingToken {
  return {
    id: 't',
    hint: 'abcd',
    createdAt: ago(30 * DAY),
    lastUsedAt,
    lastUsedBy: null,
    recentClients: clientsAt.map((at, i) => ({
      userAgent: `ua-${i}`,
      address: '10.0.0.1',
      deploymentId: null,
      lastUsedAt: at,
    })),
  };
}

describe('token usage', () => {
  it('grades how recently a token was used', () => {
    assert.equal(usageOf(token(null), now), 'never');
    assert.equal(usageOf(token(ago(5 * MIN)), now), 'active');
    assert.equal(usageOf(token(ago(61 * MIN)), now), 'recent');
    assert.equal(usageOf(token(ago(6 * DAY)), now), 'recent');
    assert.equal(usageOf(token(ago(8 * DAY)), now), 'idle');
  });

  it('lists the clients of the last week, most recent first', () => {
    const t = token(ago(MIN), [ago(3 * DAY), ago(MIN), ago(10 * DAY)]);
    assert.deepEqual(
      recentClientsOf(t, now).map((c) => c.userAgent),
      ['ua-1', 'ua-0'],
    );
  });
});
