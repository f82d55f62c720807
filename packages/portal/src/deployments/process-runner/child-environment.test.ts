import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeploymentRecord } from '../../storage/storage.ts';
import { instanceEnvironment } from './child-environment.ts';

describe('the environment of a deployment instance', () => {
  const environment = (portalEnvironment: NodeJS.ProcessEnv) =>
    instanceEnvironment({
      portalEnvironment,
      deployment: { workspaceId: 'dev', deploymentId: 'd-1', name: 'svc' } as DeploymentRecord,
      replica: 0,
      token: 'sgs_token',
      portalUrl: 'https://127.0.0.1:8700',
      variables: {},
      runnerId: 'r-1',
    });

  it("passes the portal's CA settings, so a service trusts an HTTPS portal with a private CA", () => {
    const env = environment({
      NODE_EXTRA_CA_CERTS: '/data/tls/ca.pem',
      SSL_CERT_FILE: '/data/tls/ca-bundle.pem',
      STREAMGATE_SECRET_KEY: 'secret',
      STREAMGATE_TLS_KEY: '/data/tls/server-key.pem',
      STREAMGATE_KAFKA_ADMIN_PASSWORD: 'admin',
    });
    assert.equal(env.NODE_EXTRA_CA_CERTS, '/data/tls/ca.pem');
    assert.equal(env.SSL_CERT_FILE, '/data/tls/ca-bundle.pem');
    assert.equal(env.Quix__Portal__Api, 'https://127.0.0.1:8700');
    for (const name of ['STREAMGATE_SECRET_KEY', 'STREAMGATE_TLS_KEY', 'STREAMGATE_KAFKA_ADMIN_PASSWORD']) {
      assert.equal(env[name], undefined, name);
    }
  });
});
