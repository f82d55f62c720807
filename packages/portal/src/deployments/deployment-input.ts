import { isAbsolute } from 'node:path';
import { BadRequestError } from '../errors.ts';
import type { DeploymentSpec, DeploymentVariable } from '../storage/storage.ts';

/**
 * The rules the JSON schema cannot say: a usable argv, an absolute working directory, no
 * variable in the platform's namespace. Every violation is a 400 that changes nothing.
 */
export type VariablesInput = Record<string, string | { value?: string; secret?: boolean }>;

export interface DeploymentInput {
  image?: string | null;
  command?: string[];
  workingDirectory?: string | null;
  variables?: VariablesInput;
  replicas?: number;
}

const hasNul = (value: string) => value.includes('\0');

export function checkCommand(command: string[]): void {
  if (command.length === 0 || command[0]!.trim() === '')
    throw new BadRequestError('command must start with the program to run (a non-empty string).');
  if (command.some(hasNul)) throw new BadRequestError('command must not contain NUL characters.');
}

/** An image reference as a container runtime takes it: no spaces or control characters. */
export function checkImage(image: string | null): void {
  if (image === null) return;
  if (image.trim() === '' || /[\s\0]/.test(image))
    throw new BadRequestError(
      `image must be an image reference without spaces, got '${image.slice(0, 100)}'.`,
    );
}

export function checkWorkingDirectory(directory: string | null): void {
  if (directory === null) return;
  if (!isAbsolute(directory) || hasNul(directory))
    throw new BadRequestError(`workingDirectory must be an absolute path, got '${directory.slice(0, 100)}'.`);
}

/**
 * The stored variables after an input: plain values as given, secrets sealed by `seal`. A
 * secret given without a value keeps the stored one, so an editor never needs to know it.
 */
export function resolveVariables(
  input: VariablesInput,
  existing: Record<string, DeploymentVariable>,
  seal: (name: string, value: string) => string,
): Record<string, DeploymentVariable> {
  const result: Record<string, DeploymentVariable> = {};
  for (const [name, given] of Object.entries(input)) {
    if (name.toLowerCase().startsWith('quix__'))
      throw new BadRequestError(
        `Variable '${name}' is in the platform's Quix__ namespace; the platform sets those.`,
      );
    const { value, secret } = typeof given === 'string' ? { value: given, secret: false } : given;
    if (value !== undefined && hasNul(value))
      throw new BadRequestError(`Variable '${name}' contains a NUL character.`);
    if (secret === true) {
      if (value !== undefined) result[name] = { secret: true, value: seal(name, value) };
      else if (existing[name]?.secret) result[name] = existing[name]!;
      else throw new BadRequestError(`Secret variable '${name}' needs a value (it has none to keep).`);
    } else {
      if (value === undefined) throw new BadRequestError(`Variable '${name}' needs a value.`);
      result[name] = { secret: false, value };
    }
  }
  return result;
}

export function applyInput(
  spec: DeploymentSpec,
  input: DeploymentInput,
  seal: (name: string, value: string) => string,
): DeploymentSpec {
  if (input.command !== undefined) checkCommand(input.command);
  if (input.workingDirectory !== undefined) checkWorkingDirectory(input.workingDirectory);
  if (input.image !== undefined) checkImage(input.image);
  return {
    image: input.image !== undefined ? input.image : (spec.image ?? null),
    command: input.command ?? spec.command,
    workingDirectory: input.workingDirectory !== undefined ? input.workingDirectory : spec.workingDirectory,
    variables:
      input.variables !== undefined
        ? resolveVariables(input.variables, spec.variables, seal)
        : spec.variables,
    replicas: input.replicas ?? spec.replicas,
  };
}
