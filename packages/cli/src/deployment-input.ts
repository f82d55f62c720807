import { isAbsolute } from 'node:path';
import type { CreateDeploymentRequest, Deployment, UpdateDeploymentRequest } from '@streamgate/contract';
import type { CommandContext, CommandInput, OptionSpec } from './command.ts';
import { UsageError } from './errors.ts';

/** The options create and update share: what a deployment runs, and how. */
export const deploymentOptions = {
  image: {
    type: 'string',
    placeholder: '<image>',
    description: 'A container image (deployments run on Kubernetes need one; the process runner ignores it).',
  },
  workdir: {
    type: 'string',
    placeholder: '<path>',
    description: 'The working directory, an absolute path on the portal machine.',
  },
  replicas: { type: 'string', placeholder: '<n>', description: 'Instances to run, 1 to 10 (default 1).' },
  'token-slot': {
    type: 'string',
    placeholder: '<1|2>',
    description: 'The streaming token it runs with, Token 1 or Token 2 (default 1).',
  },
  env: {
    type: 'string',
    multiple: true,
    placeholder: '<NAME=value>',
    description: 'A variable.',
  },
  secret: {
    type: 'string',
    multiple: true,
    placeholder: '<NAME=value>',
    description: 'A secret variable: the portal never shows, logs or audits its value.',
  },
} as const satisfies Record<string, OptionSpec>;

type Input = Pick<CommandInput, 'values' | 'usage'>;

/**
 * `--token` is the personal access token of every command; a slot there (`--token 2`) is someone
 * meaning `--token-slot`, and would otherwise be sent to the portal as the bearer token.
 */
export function refuseSlotAsToken(context: CommandContext, usage: string): void {
  const token = context.flags.token?.trim();
  if (token === '1' || token === '2') {
    throw new UsageError(
      `--token is your personal access token; the streaming token a deployment runs with is --token-slot ${token}.`,
      usage,
    );
  }
}

/** What create and update send: a secret is `{value, secret: true}`; `{secret: true}` alone keeps the old value. */
type VariablesInput = NonNullable<CreateDeploymentRequest['variables']>;

/** NAME=value pairs of --env and --secret; a name given twice is a mistake, not an override. */
export function variablesFrom({ values, usage }: Input): VariablesInput | undefined {
  const variables: VariablesInput = {};
  const add = (option: 'env' | 'secret') => {
    for (const pair of values.strings(option)) {
      const equals = pair.indexOf('=');
      const name = equals > 0 ? pair.slice(0, equals) : '';
      if (!name)
        throw new UsageError(
          `--${option} takes NAME=value (got '${option === 'secret' ? '...' : pair}').`,
          usage,
        );
      if (name in variables) throw new UsageError(`The variable ${name} is given twice.`, usage);
      const value = pair.slice(equals + 1);
      variables[name] = option === 'secret' ? { value, secret: true } : value;
    }
  };
  add('env');
  add('secret');
  return Object.keys(variables).length > 0 ? variables : undefined;
}

function workingDirectory({ values, usage }: Input): string | undefined {
  const path = values.string('workdir');
  if (path === undefined) return undefined;
  if (!isAbsolute(path)) {
    throw new UsageError(
      '--workdir must be an absolute path (it is a directory on the portal machine).',
      usage,
    );
  }
  return path;
}

function tokenSlot({ values }: Input): 1 | 2 | undefined {
  const slot = values.oneOf('token-slot', ['1', '2'] as const);
  return slot === undefined ? undefined : slot === '1' ? 1 : 2;
}

function command(trailing: readonly string[] | undefined, usage: string): string[] | undefined {
  if (trailing === undefined) return undefined;
  if (trailing.length === 0 || trailing[0] === '') {
    throw new UsageError('The command after -- is empty; give the program and its arguments.', usage);
  }
  return [...trailing];
}

export function createBody(input: CommandInput): CreateDeploymentRequest {
  const argv = command(input.trailing, input.usage);
  if (!argv) throw new UsageError('The command to run is missing: put it after --.', input.usage);
  const body: CreateDeploymentRequest = { name: input.values.requiredString('name'), command: argv };
  const image = input.values.string('image');
  if (image !== undefined) body.image = image;
  const workdir = workingDirectory(input);
  if (workdir !== undefined) body.workingDirectory = workdir;
  const variables = variablesFrom(input);
  if (variables) body.variables = variables;
  const replicas = input.values.integer('replicas', { min: 1, max: 10 });
  if (replicas !== undefined) body.replicas = replicas;
  const slot = tokenSlot(input);
  if (slot !== undefined) body.tokenSlot = slot;
  if (input.values.flag('no-start')) body.start = false;
  return body;
}

/**
 * Only what was given changes. The API replaces the whole variable set, so the others are sent
 * back as they are: plain ones with their values, secret ones as `{secret: true}` (the portal
 * keeps their values, which it never sent). `--unset NAME` drops one.
 */
export function updateBody(input: CommandInput, current: Deployment): UpdateDeploymentRequest {
  const body: UpdateDeploymentRequest = {};
  const argv = command(input.trailing, input.usage);
  if (argv) body.command = argv;
  const image = input.values.string('image');
  if (image !== undefined) body.image = image;
  const workdir = workingDirectory(input);
  if (workdir !== undefined) body.workingDirectory = workdir;
  const replicas = input.values.integer('replicas', { min: 1, max: 10 });
  if (replicas !== undefined) body.replicas = replicas;
  const slot = tokenSlot(input);
  if (slot !== undefined) body.tokenSlot = slot;

  const given = variablesFrom(input) ?? {};
  const unset = input.values.strings('unset');
  for (const name of unset) {
    if (!(name in current.variables)) {
      throw new UsageError(`--unset ${name}: the deployment has no variable ${name}.`, input.usage);
    }
    if (name in given) throw new UsageError(`The variable ${name} is both set and unset.`, input.usage);
  }
  if (Object.keys(given).length > 0 || unset.length > 0) {
    const variables: VariablesInput = {};
    for (const [name, variable] of Object.entries(current.variables)) {
      if (unset.includes(name)) continue;
      variables[name] = variable.secret ? { secret: true } : (variable.value ?? '');
    }
    body.variables = { ...variables, ...given };
  }
  if (Object.keys(body).length === 0) {
    throw new UsageError(
      'Nothing to change: give a command after --, --image, --workdir, --replicas, --token-slot, --env, --secret or --unset.',
      input.usage,
    );
  }
  return body;
}
