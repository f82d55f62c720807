import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
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

export async function serve(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
    strict: true,
  });
  const config = loadConfig(env, {
    ...(values.port !== undefined ? { port: Number(values.port) } : {}),
    ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
  });
  const logger = { level: config.logLevel, redact: { paths: redactedPaths, censor: '[redacted]' } };
  const portal = await createPortal(config, {
    onBackgroundError: (error) => console.error('streamgate: background task failed:', error),
  });
  const admin = await portal.bootstrap();
  const app = await buildApp(portal, {
    logger,
    uiDir: fileURLToPath(new URL('../../web/dist', import.meta.url)),
  });
  portal.start();
  const address = await app.listen({ port: config.port, host: config.host });
  const url = config.port === 0 ? address : config.publicUrl;
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
    await app.close();
    await portal.stop();
  };
  return { app, portal, url, stop };
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
