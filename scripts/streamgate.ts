// The commands behind ./streamgate (which has already provisioned Node 24 and run npm ci).
// Each command loads only its own modules: `up` must not need what only the tests use.
import { ConfigError } from '../packages/portal/src/config.ts';

const usage = `Usage: ./streamgate <command> [options]

Commands:
  up [--tls] [--brokers 3]
                     Set up and run the whole stack on embedded defaults: the web UI (built when
                     needed), the portal (SQLite in ./.streamgate) and a local Kafka broker.
  serve [--port N] [--data-dir DIR] [--tls]
                     The portal alone (settings from STREAMGATE_* variables; see README).
  kafka [--tls] [--brokers 3]
                     The local Kafka broker alone, validating the portal's JWTs.
  test               Lint, type-check and every test (PostgreSQL, Kafka, Chromium and the Python
                     quixstreams client are installed and started as needed). Non-zero on failure.
  setup              Install what the tests need without running them.

  --tls              A private CA in the data dir (<data dir>/tls/ca.pem, kept across restarts):
                     the portal serves HTTPS and the broker SASL_SSL with certificates from it.
  --brokers 3        A KRaft cluster of three brokers (three voters) on loopback instead of one
                     broker; new topics get replication factor 3 (min.insync.replicas 2).
`;

// A configuration mistake (a STREAMGATE_* setting, a certificate file) is the user's to fix: its
// message and exit code 2, not a stack trace.
process.on('uncaughtException', (error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`streamgate: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case 'up':
    await (await import('./run-commands.ts')).runUp(args);
    break;
  case 'serve':
    await (await import('./run-commands.ts')).runServe(args);
    break;
  case 'kafka':
    await (await import('./run-commands.ts')).runKafka(args);
    break;
  case 'test':
    process.exitCode = await (await import('./test-command.ts')).runTests(args);
    break;
  case 'setup':
    await (await import('./test-command.ts')).runSetup();
    break;
  case undefined:
  case 'help':
  case '--help':
  case '-h':
    process.stdout.write(usage);
    break;
  default:
    process.stderr.write(`streamgate: unknown command '${command}'\n\n${usage}`);
    process.exitCode = 2;
}
