import type { RotationPlan, RotationRun, StartRotationRequest, StreamingTokens } from '@streamgate/contract';
import type { Command, CommandContext } from '../command.ts';
import { AbortedError, ApiError, BusyError, CliError, NotAllowedError, UsageError } from '../errors.ts';
import { apiPath, type PortalApi } from '../portal-api.ts';
import { describePlan, type RotateMode } from '../rotation-plan.ts';
import { reportRun } from '../rotation-report.ts';
import { watchRotation } from '../rotation-watch.ts';
import { pairJson } from '../token-usage.ts';

export const tokensRotate: Command = {
  path: ['tokens', 'rotate'],
  summary: 'Rotate: deactivate Token 1, promote Token 2, generate a new Token 2 (Admin).',
  details: [
    'Three ways: rotate only (no flag: outside services on Token 1 lose access; deployments are restarted); --restart-deployments (rotate,',
    'then restart the deployments that were on Token 1); --zero-downtime (move the deployments to Token 2,',
    "wait until Token 1 is quiet, then rotate). First shows the plan and the portal's verdict on Token 1,",
    'then asks on a terminal; without one (scripts, CI) it refuses unless --yes is given. It names the pair it',
    'showed (If-Match): if someone rotated in between, nothing is rotated and it says so.',
    'A run shows its steps until it ends: exit 0 when it succeeded, 1 when it failed or was cancelled.',
    'Ctrl-C asks whether to cancel the run (with --detach: leaves it running and prints its id).',
  ],
  args: [{ name: 'workspace', required: true }],
  options: {
    'zero-downtime': {
      type: 'boolean',
      description: 'Move the deployments to Token 2 and wait until Token 1 is quiet before rotating.',
    },
    'restart-deployments': {
      type: 'boolean',
      description: 'Rotate at once, then restart the deployments that were on Token 1.',
    },
    'quiet-seconds': {
      type: 'string',
      placeholder: '<n>',
      description:
        'How long Token 1 must be unused before rotating, 0 to 86400 (default: the broker JWT lifetime).',
    },
    'timeout-seconds': {
      type: 'string',
      placeholder: '<n>',
      description: 'Give up (before rotating) after this long, 10 to 604800 (default: quiet seconds + 600).',
    },
    force: { type: 'boolean', description: 'Do not wait for outside clients of Token 1.' },
    detach: { type: 'boolean', description: 'On Ctrl-C, leave the run running and print its id.' },
    yes: { type: 'boolean', short: 'y', description: 'Rotate without asking.' },
  },
  examples: [
    'streamgate-cli tokens rotate acme --zero-downtime',
    'streamgate-cli tokens rotate acme --restart-deployments --yes',
    'streamgate-cli tokens rotate acme --zero-downtime --quiet-seconds 60 --timeout-seconds 900 --yes --detach',
    'streamgate-cli tokens rotate acme --yes --json',
  ],
  async run(context, { args, values, usage }) {
    const workspace = args.workspace!;
    const mode = rotateMode(values.flag('zero-downtime'), values.flag('restart-deployments'), usage);
    const start: StartRotationRequest | null =
      mode === 'rotate-only'
        ? null
        : {
            mode,
            ...optional('quietSeconds', values.integer('quiet-seconds', { min: 0, max: 86_400 })),
            ...optional('timeoutSeconds', values.integer('timeout-seconds', { min: 10, max: 604_800 })),
            ...(values.flag('force') ? { force: true } : {}),
          };
    if (!start) {
      for (const name of ['quiet-seconds', 'timeout-seconds', 'force', 'detach']) {
        if (values.string(name) !== undefined || values.flag(name)) {
          throw new UsageError(
            `--${name} is for a rotation run: add --zero-downtime or --restart-deployments.`,
            usage,
          );
        }
      }
    }

    const api = await context.api();
    const tokensPath = apiPath`/workspaces/${workspace}/streaming-tokens`;
    const { body: plan, headers } = await api.request<RotationPlan>('GET', `${tokensPath}/rotation-plan`);
    const etag = headers.get('etag');
    if (!etag) throw new CliError('CLI_API', 'The portal sent no ETag for the token pair; not rotating.', 1);
    if (!plan.canRotate) {
      throw new NotAllowedError(`Only an Admin of workspace '${workspace}' can rotate its streaming tokens.`);
    }
    if (plan.activeRun) throw runningAlready(workspace, plan.activeRun);

    context.note(
      describePlan(plan, mode, context.io.now(), {
        quietSeconds: start?.quietSeconds,
        force: start?.force === true,
      }),
    );
    if (!values.flag('yes')) {
      if (!context.io.stdin.isTTY) {
        throw new UsageError(
          'Not rotating: stdin is not a terminal, so no one can confirm. Add --yes to rotate without asking.',
          usage,
        );
      }
      if (!(await context.confirm(`Rotate the streaming tokens of '${workspace}' now?`))) {
        throw new AbortedError('Nothing was rotated.');
      }
    }

    if (!start) return rotateOnly(context, api, tokensPath, plan, etag);

    let started: RotationRun;
    try {
      ({ body: started } = await api.request<RotationRun>('POST', `${tokensPath}/rotations`, {
        headers: { 'if-match': etag },
        json: start,
      }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        throw error.explained(await explainConflict(api, tokensPath, plan));
      }
      throw error;
    }
    context.note(`Started rotation run ${started.rotationId}.`);
    const watched = await watchRotation(context, api, workspace, started.rotationId, {
      detach: values.flag('detach'),
    });
    if (watched.kind === 'detached') {
      return context.json
        ? context.printJson(watched.run ?? { rotationId: watched.rotationId })
        : context.print(watched.rotationId);
    }
    reportRun(context, watched.run);
  },
};

function rotateMode(zeroDowntime: boolean, restart: boolean, usage: string): RotateMode {
  if (zeroDowntime && restart) {
    throw new UsageError('Choose one: --zero-downtime or --restart-deployments.', usage);
  }
  return zeroDowntime ? 'zero-downtime' : restart ? 'restart-deployments' : 'rotate-only';
}

const optional = <K extends string>(key: K, value: number | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, number>>;

function runningAlready(workspace: string, run: RotationRun): BusyError {
  return new BusyError(
    `Rotation run ${run.rotationId} (${run.mode}) of workspace '${workspace}' is still running; one at a time.\n` +
      `See it: streamgate-cli tokens rotation show ${workspace} ${run.rotationId} --watch`,
  );
}

/** Today's rotation: one compare-and-swap, no deployment touched. */
async function rotateOnly(
  context: CommandContext,
  api: PortalApi,
  tokensPath: string,
  plan: RotationPlan,
  etag: string,
): Promise<void> {
  const workspace = plan.workspaceId;
  let rotated: { body: StreamingTokens; headers: Headers };
  try {
    rotated = await api.request<StreamingTokens>('POST', `${tokensPath}/rotate`, {
      headers: { 'if-match': etag },
    });
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      throw error.explained(await explainConflict(api, tokensPath, plan));
    }
    throw error;
  }
  const next = rotated.body;
  if (context.json) return context.printJson(pairJson(next, rotated.headers.get('etag'), false));
  context.print(
    [
      `Rotated the streaming tokens of workspace ${workspace}.`,
      `  deactivated: ${plan.token1.id} (the former Token 1)`,
      `  Token 1:     ${next.token1.id} (the former Token 2)`,
      `  Token 2:     ${next.token2.id} (new)`,
    ].join('\n'),
  );
  context.note(`Give services Token 2, which survives the next rotation: streamgate-cli env ${workspace}`);
}

/** After a 409: a rotation in between (what the pair is now, and why not to rotate again at once), or a run. */
async function explainConflict(api: PortalApi, tokensPath: string, seen: RotationPlan): Promise<string> {
  const workspace = seen.workspaceId;
  const now = await api.get<RotationPlan>(`${tokensPath}/rotation-plan`).catch(() => null);
  if (now && now.token1.id === seen.token1.id && now.activeRun) {
    return runningAlready(workspace, now.activeRun).message;
  }
  const lines = [
    `Someone else rotated the tokens of '${workspace}' after this command read them: this rotation was`,
    'refused and nothing more changed.',
  ];
  if (now && now.token1.id === seen.token2.id) {
    lines.push(
      `What you asked for has already happened: ${seen.token1.id} is deactivated, ${seen.token2.id} is Token 1`,
      `and ${now.token2.id} is the new Token 2.`,
    );
  } else if (now) {
    lines.push(`The pair is now Token 1 ${now.token1.id}, Token 2 ${now.token2.id}.`);
  }
  lines.push(
    `Rotating again now would also deactivate the token that was Token 2 a moment ago, which services may`,
    `be moving to. Look first: streamgate-cli tokens show ${workspace}`,
  );
  return lines.join('\n');
}
