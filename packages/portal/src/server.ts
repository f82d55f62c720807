import { type AddressInfo, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { loadTlsCertificate } from './http/tls-certificate.ts';
import { createPortal } from './portal.ts';

/**
 * `./streamgate serve`: the portal alone. Settings come from STREAMGATE_* variables, and
 * --port / --data-dir override them. Prints the URL (and, once, a generated admin password).
 */
const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

export async function serve(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  options: { brokerStartsLater?: boolean } = {},
) {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
    strict: true,
  });
  const requestedPort = values.port !== undefined ? Number(values.port) : undefined;
  // Port 0 means "any free port"; it is chosen before start-up because the public URL (the
  // broker JWT issuer and the token endpoint) is derived from it.
  const port =
    requestedPort === 0 || (requestedPort === undefined && env.STREAMGATE_PORT === '0')
      ? await freePort()
      : requestedPort;
  const config = loadConfig(env, {
    ...(port !== undefined ? { port } : {}),
    ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
  });
  // Before anything starts: a wrong certificate or key is a start-up error, not a failed handshake later.
  const https = config.tls ? loadTlsCertificate(config.tls) : null;
  const logger = pino({ level: config.logLevel, redact: { paths: redactedPaths, censor: '[redacted]' } });
  const portal = await createPortal(config, { logger });
  const admin = await portal.bootstrap();
  const app = await buildApp(portal, {
    logger,
    uiDir: fileURLToPath(new URL('../../web/dist', import.meta.url)),
    https,
  });
  // `up` starts the broker after the portal (it needs the JWKS): reconcile once it is there.
  portal.start({ reconcile: !options.brokerStartsLater });
  await app.listen({ port: config.port, host: config.host });
  const url = config.publicUrl;

  console.log(`streamgate: portal listening on ${url} (storage: ${portal.store.engine})`);
  if (admin) {
    console.log(
      `streamgate: created the organisation admin ${admin.email}${admin.generatedPassword ? ` with password ${admin.generatedPassword} (shown once; change it after logging in)` : ''}`,
    );
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Deployments first, while the portal and the broker still serve them: a service that
    // flushes on SIGTERM needs both to finish cleanly.
    await portal.runner?.stop({ stopDeployments: true });
    await app.close();
    await portal.stop();
  };
  return { app, portal, url, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

if (import.meta.main) {
  try {
    const running = await serve(process.argv.slice(2));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        void running.stop().then(() => process.exit(0));
      });
    }
  } catch (error) {
    if (
      error instanceof ConfigError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      console.error(`streamgate: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}
