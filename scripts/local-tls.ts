// `--tls` on `up`, `serve` and `kafka`: the local CA (local-ca.ts) turned into the settings each
// part takes, so that the three commands agree on one CA per data dir.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { ConfigError } from '../packages/portal/src/config.ts';
import { ensureLocalTls, type LocalTls } from './local-ca.ts';

/** Removes a boolean flag from the arguments (the portal's own parser knows only its options). */
export function takeFlag(args: string[], flag: string): { present: boolean; rest: string[] } {
  return { present: args.includes(flag), rest: args.filter((arg) => arg !== flag) };
}

/** The names clients may use: loopback always, plus the listening address and the public URL's host. */
function certificateNames(env: NodeJS.ProcessEnv): string[] {
  const names: string[] = [];
  if (env.STREAMGATE_HOST) names.push(env.STREAMGATE_HOST);
  if (env.STREAMGATE_PUBLIC_URL) {
    try {
      names.push(new URL(env.STREAMGATE_PUBLIC_URL).hostname);
    } catch {
      // loadConfig reports a malformed public URL.
    }
  }
  return names;
}

export function localTls(dataDir: string, env: NodeJS.ProcessEnv): Promise<LocalTls> {
  return ensureLocalTls(dataDir, { extraNames: certificateNames(env) });
}

/**
 * The portal's side of `--tls`, written into `env` before the portal reads it: HTTPS with the
 * local certificate; for a local broker, its Kafka connection SASL_SSL trusting the local CA
 * unless STREAMGATE_KAFKA_SECURITY_PROTOCOL says otherwise; and what deployments started by the portal
 * need to trust it (NODE_EXTRA_CA_CERTS for Node, SSL_CERT_FILE for Python's HTTP clients: the
 * public roots plus the CA, so that a deployment still reaches other HTTPS services).
 */
export async function applyLocalTlsToPortal(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  options: { localBroker: boolean },
): Promise<LocalTls> {
  if (env.STREAMGATE_TLS_CERT || env.STREAMGATE_TLS_KEY) {
    throw new ConfigError(
      '--tls generates the certificate itself: drop --tls to use STREAMGATE_TLS_CERT and STREAMGATE_TLS_KEY, or unset them',
    );
  }
  const tls = await localTls(dataDir, env);
  env.STREAMGATE_TLS_CERT = tls.certPath;
  env.STREAMGATE_TLS_KEY = tls.keyPath;
  if (options.localBroker && !env.STREAMGATE_KAFKA_SECURITY_PROTOCOL) {
    env.STREAMGATE_KAFKA_SECURITY_PROTOCOL = 'SASL_SSL';
    env.STREAMGATE_KAFKA_CA_PEM ||= tls.caCertPem;
  }
  const bundle = join(tls.dir, 'ca-bundle.pem');
  writeFileSync(bundle, `${[...rootCertificates, tls.caCertPem.trim()].join('\n')}\n`, { mode: 0o644 });
  env.NODE_EXTRA_CA_CERTS ||= tls.caCertPath;
  env.SSL_CERT_FILE ||= bundle;
  return tls;
}
