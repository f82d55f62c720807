import type { Connection } from './connection.ts';
import { UsageError } from './errors.ts';
import type { PortalApi } from './portal-api.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Shown without brackets in the usage line (the command checks it). */
  required?: boolean;
  /** The value's placeholder in help, e.g. `<name>`. */
  placeholder?: string;
  description: string;
}

export interface ArgumentSpec {
  name: string;
  required: boolean;
}

/** Words after `--`, taken as they are (e.g. a deployment's command line). */
export interface TrailingSpec {
  name: string;
  description: string;
}

/** One command: its words (`['tokens', 'rotate']`), what it takes, and what it does. */
export interface Command {
  path: readonly string[];
  summary: string;
  /** More lines of help under the summary (what happens, which role it needs). */
  details?: readonly string[];
  args: readonly ArgumentSpec[];
  /** Set when the command takes the words after `--`; other commands bind them as arguments. */
  trailing?: TrailingSpec;
  options: Readonly<Record<string, OptionSpec>>;
  examples: readonly string[];
  run(context: CommandContext, input: CommandInput): Promise<void>;
}

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  now(): Date;
  /**
   * Calls `listener` on Ctrl-C (SIGINT) instead of exiting, until the returned function is
   * called. Only commands that must clean up or ask first (a following log, a rotation run) use it.
   */
  onInterrupt(listener: () => void): () => void;
}

export interface CommandContext {
  io: Io;
  /** `--json`: machine-readable output on stdout. */
  json: boolean;
  /** `--url` / `--token` as given (not resolved). */
  flags: { url: string | undefined; token: string | undefined };
  connection(): Promise<Connection>;
  api(): Promise<PortalApi>;
  /** A line on stdout: the command's result. */
  print(text: string): void;
  printJson(value: unknown): void;
  /** A line on stderr: progress, notes and warnings, never the result. */
  note(text: string): void;
  confirm(question: string): Promise<boolean>;
}

export interface CommandInput {
  args: Readonly<Record<string, string | undefined>>;
  values: OptionValues;
  /** The words after `--` (commands with `trailing` only); undefined without `--`. */
  trailing: readonly string[] | undefined;
  /** The command's usage line, for usage errors raised by the command itself. */
  usage: string;
}

type RawValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Typed access to parsed options; malformed values are usage errors. */
export class OptionValues {
  #raw: RawValues;
  #usage: string;

  constructor(raw: RawValues, usage: string) {
    this.#raw = raw;
    this.#usage = usage;
  }

  string(name: string): string | undefined {
    const value = this.#raw[name];
    return typeof value === 'string' ? value : undefined;
  }

  strings(name: string): string[] {
    const value = this.#raw[name];
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  }

  flag(name: string): boolean {
    return this.#raw[name] === true;
  }

  requiredString(name: string): string {
    const value = this.string(name)?.trim();
    if (!value) throw new UsageError(`--${name} is required.`, this.#usage);
    return value;
  }

  integer(name: string, range: { min: number; max?: number }): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = /^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < range.min || (range.max !== undefined && value > range.max)) {
      const bounds = range.max === undefined ? `at least ${range.min}` : `${range.min} to ${range.max}`;
      throw new UsageError(`--${name} must be a whole number, ${bounds}.`, this.#usage);
    }
    return value;
  }

  oneOf<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const match = choices.find((choice) => choice.toLowerCase() === text.trim().toLowerCase());
    if (!match) throw new UsageError(`--${name} must be one of ${choices.join(', ')}.`, this.#usage);
    return match;
  }
}

/** `streamgate-cli tokens rotate <workspace> [--yes]` (the global options are listed by help). */
export function usageLine(command: Command): string {
  const args = command.args.map((arg) => (arg.required ? `<${arg.name}>` : `[${arg.name}]`));
  const options = Object.entries(command.options).map(([name, spec]) => {
    const text = spec.type === 'string' ? `--${name} ${spec.placeholder ?? '<value>'}` : `--${name}`;
    const once = spec.required ? text : `[${text}]`;
    return spec.multiple ? `${once}...` : once;
  });
  const trailing = command.trailing ? [`[-- <${command.trailing.name}>...]`] : [];
  return ['streamgate-cli', ...command.path, ...args, ...options, ...trailing].join(' ');
}
