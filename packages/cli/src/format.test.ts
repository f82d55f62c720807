import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDate, maskToken, redactTokens, relativeTime, renderFields, renderTable } from './format.ts';

const now = new Date('2025-06-01T12:00:00Z');

test('relative times name the largest whole unit, past and future', () => {
  assert.equal(relativeTime(null, now), 'never');
  assert.equal(relativeTime('2025-06-01T11:59:55Z', now), 'just now');
  assert.equal(relativeTime('2025-06-01T11:59:00Z', now), '1 minute ago');
  assert.equal(relativeTime('2025-06-01T09:30:00Z', now), '2 hours ago');
  assert.equal(relativeTime('2025-05-29T12:00:00Z', now), '3 days ago');
  assert.equal(relativeTime('2025-07-01T12:00:00Z', now), 'in 1 month');
});

test('dates print in UTC to the minute', () => {
  assert.equal(formatDate('2025-06-01T12:34:56.789Z'), '2025-06-01 12:34 UTC');
  assert.equal(formatDate(null), '-');
});

test('a masked token keeps its prefix and last four characters only', () => {
  const value = 'sgs_abcdefghijklmnopqrstuvwxyz0123456789';
  const masked = maskToken(value);
  assert.equal(masked, 'sgs_********6789');
  assert.ok(!masked.includes('abcdefgh'));
});

test('tokens inside free text are redacted', () => {
  const text = 'failed with sgp_eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln and sgs_0123456789abcdef';
  assert.equal(redactTokens(text), 'failed with sgp_[redacted] and sgs_[redacted]');
});

test('tables align columns and do not pad the last one', () => {
  assert.equal(
    renderTable(
      ['ID', 'NAME'],
      [
        ['a', 'first'],
        ['longer', 'x'],
      ],
    ),
    'ID      NAME\na       first\nlonger  x',
  );
  assert.equal(
    renderFields([
      ['User', 'me'],
      ['Expires', 'soon'],
    ]),
    'User:     me\nExpires:  soon',
  );
});
