import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError, MalformedTokenError } from './errors.ts';
import { checkTokenShape, resolveClientConfig } from './options.ts';

const token = `sgs_${'a'.repeat(40)}`;

describe('client configuration', () => {
  it('takes the token argument over Quix__Sdk__Token, and the option over Quix__Portal__Api', () => {
    const config = resolveClientConfig(token, {
      portalApi: 'http://portal.test:8080/',
      env: { Quix__Sdk__Token: 'sgs_other_other_other_other', Quix__Portal__Api: 'http://env.test' },
    });
    assert.equal(config.token, token);
    assert.equal(config.portalApi, 'http://portal.test:8080');
    assert.equal(config.workspaceId, null);
  });

  it('reads everything from the environment, as a deployment would', () => {
    const config = resolveClientConfig(undefined, {
      env: {
        Quix__Sdk__Token: token,
        Quix__Portal__Api: 'https://portal.test',
        Quix__Workspace__Id: 'acme',
        Quix__Consumer_Group: 'billing',
        Quix__Deployment__Id: 'dep-1',
      },
    });
    assert.equal(config.portalApi, 'https://portal.test');
    assert.equal(config.workspaceId, 'acme');
    assert.equal(config.defaultConsumerGroup, 'billing');
    assert.equal(config.deploymentId, 'dep-1');
    assert.equal(config.autoCreateTopics, true);
  });

  it('names both ways to give a token or a Portal URL when neither is set', () => {
    assert.throws(
      () => resolveClientConfig(undefined, { env: {} }),
      (e: Error) =>
        e instanceof ConfigurationError &&
        /QuixStreamingClient\(token\)/.test(e.message) &&
        /Quix__Sdk__Token/.test(e.message),
    );
    assert.throws(
      () => resolveClientConfig(token, { env: { Quix__Portal__Api: '' } }),
      (e: Error) =>
        e instanceof ConfigurationError && /portalApi/.test(e.message) && /Quix__Portal__Api/.test(e.message),
    );
    assert.throws(
      () => resolveClientConfig(token, { env: { Quix__Portal__Api: 'ftp://x' } }),
      /http:\/\/ or https:\/\//,
    );
    assert.throws(
      () => resolveClientConfig(token, { env: { Quix__Portal__Api: 'not a url' } }),
      /is not a URL/,
    );
  });

  it('rejects token shapes that cannot be a token, without echoing the token', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      [`${token}\n`, /whitespace or a line break at position 44/],
      [`Bearer ${token}`, /whitespace/],
      [`${token}é`, /cannot be part of a token/],
      ['sgs_abc', /looks truncated/],
    ];
    for (const [bad, message] of cases) {
      assert.throws(
        () => checkTokenShape(bad),
        (e: Error) =>
          e instanceof MalformedTokenError &&
          message.test(e.message) &&
          (bad === '' || !e.message.includes(bad.trim())),
      );
    }
    assert.doesNotThrow(() => checkTokenShape(token));
  });

  it('checks numeric options once, at construction', () => {
    assert.throws(
      () => resolveClientConfig(token, { portalApi: 'http://p', topicReadyTimeoutMs: 0 }),
      TypeError,
    );
    assert.throws(
      () => resolveClientConfig(token, { portalApi: 'http://p', retry: { retries: -1 } }),
      TypeError,
    );
    assert.throws(
      () => resolveClientConfig(token, { portalApi: 'http://p', tokenRefreshRatio: 1 }),
      TypeError,
    );
  });

  it('frames messages with headers unless told otherwise, and refuses a misspelt framing', () => {
    assert.equal(resolveClientConfig(token, { portalApi: 'http://p' }).framing, 'headers');
    assert.equal(
      resolveClientConfig(token, { portalApi: 'http://p', framing: 'headerless' }).framing,
      'headerless',
    );
    assert.throws(
      () => resolveClientConfig(token, { portalApi: 'http://p', framing: 'legacy' as 'headers' }),
      (e: Error) => e instanceof TypeError && /'headers', 'headerless'.*"legacy"/.test(e.message),
    );
  });
});
