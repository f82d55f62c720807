// Test-only: the setup every CLI test file against a portal shares. One real portal for the
// file, the CLI logged in with a PAT of its admin, a config home of its own; all of it started in
// `before` and removed in `after`.
import { after, before } from 'node:test';
import {
  type CliProcess,
  type CliRun,
  type Reply,
  runCli,
  runCliOnTerminal,
  startCli,
  startTestPortal,
  type TerminalSession,
  type TestPortal,
  tempConfigHome,
} from './cli-harness.ts';

export interface CliSuiteOptions {
  /** The name of the admin's PAT the CLI uses. */
  patName: string;
  /** A real Kafka broker behind the portal (slow: only for topic tests). */
  kafka?: boolean;
  /** The portal's environment, e.g. `STREAMGATE_RUNNER: 'process'`. */
  portalEnv?: Record<string, string>;
  /** Workspaces created before the PAT. */
  workspaces?: string[];
  /** The email of a Viewer whose PAT `viewerEnv` holds. */
  viewer?: string;
}

export interface CliSuite {
  /** The file's portal, once `before` has started it. */
  readonly portal: TestPortal;
  /** STREAMGATE_URL and STREAMGATE_TOKEN (the admin's PAT). */
  readonly env: Record<string, string>;
  /** STREAMGATE_TOKEN of the Viewer's PAT (with the `viewer` option). */
  readonly viewerEnv: Record<string, string>;
  /** The CLI on pipes with `env`, plus `extraEnv`. */
  cli(args: string[], extraEnv?: Record<string, string>): Promise<CliRun>;
  /** The CLI with `env`, watched as it runs (to send Ctrl-C). */
  startCli(args: string[]): CliProcess;
  /** The CLI with `env` on a pseudo-terminal. */
  cliOnTerminal(args: string[]): TerminalSession;
  /** Polls the API (a guard against hangs, not a timing assertion) until the deployment matches. */
  deploymentUntil(
    ws: string,
    name: string,
    check: (deployment: Reply['body']) => boolean,
  ): Promise<Reply['body']>;
}

/** Call at the top of a test file: registers the file's `before` and `after`. */
export function cliSuite(options: CliSuiteOptions): CliSuite {
  const home = tempConfigHome();
  let portal: TestPortal | undefined;
  let env: Record<string, string> = {};
  let viewerEnv: Record<string, string> = {};
  const started = (): TestPortal => {
    if (!portal) throw new Error('the portal starts in before(): use it inside tests and hooks');
    return portal;
  };

  before(async () => {
    portal = await startTestPortal({
      ...(options.kafka ? { kafka: true } : {}),
      ...(options.portalEnv ? { env: options.portalEnv } : {}),
    });
    for (const workspaceId of options.workspaces ?? []) await portal.createWorkspace(workspaceId);
    const pat = await portal.createPat({ name: options.patName });
    env = { STREAMGATE_URL: portal.url, STREAMGATE_TOKEN: pat.token };
    if (options.viewer) {
      const viewer = await portal.createUser(options.viewer, 'Viewer');
      viewerEnv = {
        STREAMGATE_TOKEN: (await portal.createPat({ session: viewer.session, name: 'viewer' })).token,
      };
    }
  });
  after(async () => {
    await portal?.stop();
    home.remove();
  });

  return {
    get portal() {
      return started();
    },
    get env() {
      return env;
    },
    get viewerEnv() {
      return viewerEnv;
    },
    cli: (args, extraEnv = {}) => runCli(args, { configHome: home.dir, env: { ...env, ...extraEnv } }),
    startCli: (args) => startCli(args, { configHome: home.dir, env }),
    cliOnTerminal: (args) => runCliOnTerminal(args, { configHome: home.dir, env }),
    async deploymentUntil(ws, name, check) {
      const find = async () => {
        const list = await started().api('GET', `/workspaces/${ws}/deployments`, {
          session: started().admin,
        });
        return list.body.find((deployment: { name: string }) => deployment.name === name);
      };
      for (let attempt = 0; attempt < 200; attempt++) {
        const found = await find();
        if (found && check(found)) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`deployment ${name} of ${ws} never matched: ${JSON.stringify(await find())}`);
    },
  };
}
