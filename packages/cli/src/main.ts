import { parseArgs } from 'node:util';
import {
  type Command,
  type CommandContext,
  type Io,
  type OptionSpec,
  OptionValues,
  usageLine,
} from './command.ts';
import { commands } from './command-list.ts';
import { type Connection, resolveConnection } from './connection.ts';
import { ApiError, CliError, UsageError } from './errors.ts';
import { redactTokens } from './format.ts';
import { commandHelp, generalHelp, globalOptions, nounHelp } from './help.ts';
import { PortalApi } from './portal-api.ts';
import { confirmOnTerminal } from './prompt.ts';
import { cliVersion, userAgent } from './version.ts';

const processIo = (): Io => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  now: () => new Date(),
  onInterrupt(listener) {
    process.on('SIGINT', listener);
    return () => process.off('SIGINT', listener);
  },
});

/** Runs one command line; resolves the exit code (0 done, 1 failed, 2 bad usage). Never throws. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const write = (stream: NodeJS.WritableStream, text: string) => stream.write(`${redactTokens(text)}\n`);
  try {
    const found = findCommand(argv);
    if (found.kind === 'help') {
      write(io.stdout, found.text);
      return 0;
    }
    if (found.kind === 'version') {
      write(io.stdout, cliVersion);
      return 0;
    }
    const { command, rest } = found;
    const usage = usageLine(command);
    const parsed = parseStrict(rest, { ...globalOptions, ...command.options }, usage);
    if (parsed.values.help === true) {
      write(io.stdout, commandHelp(command));
      return 0;
    }
    const { positionals, trailing } = splitTrailing(command, parsed.tokens);
    const args = bindArguments(command, positionals, usage);
    const values = new OptionValues(parsed.values, usage);
    const context = createContext(io, values, write);
    await command.run(context, { args, values, trailing, usage });
    return 0;
  } catch (error) {
    return report(error, io, write);
  }
}

type Found =
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | { kind: 'command'; command: Command; rest: string[] };

/**
 * The command is named by its first one to three words (`whoami`, `tokens rotate`,
 * `tokens rotation show`); options may come before or after them. A loose first pass (global
 * options only) finds those words, the strict pass checks the rest.
 */
function findCommand(argv: readonly string[]): Found {
  const loose = parseArgs({
    args: [...argv],
    options: parseArgsOptions(globalOptions),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const words = loose.tokens.filter((token) => token.kind === 'positional');
  const wantsHelp = loose.values.help === true;
  const first = words[0]?.value;
  if (first === undefined) {
    if (wantsHelp) return { kind: 'help', text: generalHelp(commands) };
    if (loose.values.version === true) return { kind: 'version' };
    throw new UsageError('No command given.', 'streamgate-cli <command> [arguments] [options]');
  }
  if (first === 'help') return { kind: 'help', text: helpFor(words.slice(1).map((word) => word.value)) };

  const prefix: string[] = [];
  for (let depth = 0; ; depth++) {
    const candidates = commands.filter((command) => startsWith(command.path, prefix));
    const exact = candidates.find((command) => command.path.length === depth);
    if (exact) {
      const indices = words.slice(0, depth).map((word) => word.index);
      return { kind: 'command', command: exact, rest: without(argv, indices) };
    }
    const name = prefix.join(' ');
    const next = [...new Set(candidates.map((command) => command.path[depth]!))];
    const usage = `streamgate-cli ${name} <${next.join('|')}> ...`;
    const word = words[depth]?.value;
    if (word === undefined) {
      if (wantsHelp) return { kind: 'help', text: nounHelp(prefix, commands) };
      throw new UsageError(`'${name}' needs a subcommand: ${next.join(', ')}.`, usage);
    }
    if (!next.includes(word)) {
      if (depth === 0) {
        throw new UsageError(`Unknown command '${word}'.`, 'streamgate-cli <command> [arguments] [options]');
      }
      throw new UsageError(`Unknown command '${name} ${word}'; '${name}' has: ${next.join(', ')}.`, usage);
    }
    prefix.push(word);
  }
}

const startsWith = (path: readonly string[], prefix: readonly string[]) =>
  prefix.every((word, index) => path[index] === word);

/** `help tokens rotate`: that command; `help tokens`: the commands under it. */
function helpFor(words: string[]): string {
  if (words.length === 0) return generalHelp(commands);
  let prefix = words;
  while (prefix.length > 0 && !commands.some((command) => startsWith(command.path, prefix))) {
    prefix = prefix.slice(0, -1);
  }
  const exact = commands.find(
    (command) => command.path.length <= prefix.length && startsWith(prefix, command.path),
  );
  if (exact) return commandHelp(exact);
  if (prefix.length > 0) return nounHelp(prefix, commands);
  throw new UsageError(
    `Unknown command '${words.join(' ')}'.`,
    'streamgate-cli <command> [arguments] [options]',
  );
}

const without = (argv: readonly string[], indices: number[]) =>
  argv.filter((_, index) => !indices.includes(index));

function parseArgsOptions(options: Readonly<Record<string, OptionSpec>>) {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    version: { type: 'boolean', short: 'V' },
  };
  for (const [name, spec] of Object.entries(options)) {
    config[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  return config;
}

function parseStrict(rest: string[], options: Readonly<Record<string, OptionSpec>>, usage: string) {
  const { version: _version, ...config } = parseArgsOptions(options);
  try {
    return parseArgs({ args: rest, options: config, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      // parseArgs' advice about positionals after '--' is noise for an unknown option.
      const message = (error as Error).message.replace(/ To specify a positional argument.*$/s, '');
      throw new UsageError(message, usage);
    }
    throw error;
  }
}

/** For a command with `trailing`, the words after `--` are its own; they are never arguments. */
function splitTrailing(
  command: Command,
  tokens: ReturnType<typeof parseStrict>['tokens'],
): { positionals: string[]; trailing: string[] | undefined } {
  const terminator = tokens.find((token) => token.kind === 'option-terminator');
  const words = tokens.flatMap((token) => (token.kind === 'positional' ? [token] : []));
  if (!command.trailing || terminator === undefined) {
    return { positionals: words.map((word) => word.value), trailing: undefined };
  }
  return {
    positionals: words.filter((word) => word.index < terminator.index).map((word) => word.value),
    trailing: words.filter((word) => word.index > terminator.index).map((word) => word.value),
  };
}

function bindArguments(command: Command, positionals: string[], usage: string) {
  if (positionals.length > command.args.length) {
    const hint = command.trailing ? ` (the ${command.trailing.name} goes after --)` : '';
    throw new UsageError(`Unexpected argument '${positionals[command.args.length]}'${hint}.`, usage);
  }
  const args: Record<string, string | undefined> = {};
  command.args.forEach((spec, index) => {
    const value = positionals[index];
    if (spec.required && (value === undefined || value.trim() === '')) {
      throw new UsageError(`Missing <${spec.name}>.`, usage);
    }
    args[spec.name] = value;
  });
  return args;
}

function createContext(
  io: Io,
  values: OptionValues,
  write: (stream: NodeJS.WritableStream, text: string) => void,
): CommandContext {
  const flags = { url: values.string('url'), token: values.string('token') };
  let connection: Promise<Connection> | null = null;
  const context: CommandContext = {
    io,
    json: values.flag('json'),
    flags,
    connection() {
      connection ??= resolveConnection(flags, io.env).then(({ connection, warnings }) => {
        for (const warning of warnings) context.note(`warning: ${warning}`);
        return connection;
      });
      return connection;
    },
    async api() {
      const { url, token } = await context.connection();
      return new PortalApi({ url, token, userAgent });
    },
    // Results are printed as they are (a revealed token must survive); only errors are redacted.
    print: (text) => io.stdout.write(`${text}\n`),
    printJson: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    note: (text) => write(io.stderr, text),
    confirm: (question) => confirmOnTerminal(io, question),
  };
  return context;
}

function report(
  error: unknown,
  io: Io,
  write: (stream: NodeJS.WritableStream, text: string) => void,
): number {
  if (error instanceof UsageError) {
    write(io.stderr, `error: ${error.message}`);
    if (error.usage) {
      write(io.stderr, `usage: ${error.usage}`);
      // The command's words, for where to read more: `streamgate-cli tokens rotate --help`.
      const words = error.usage.split(' ').filter((word, index) => index === 0 || /^[a-z]/.test(word));
      write(io.stderr, `Run '${words.join(' ')} --help' for more.`);
    }
    return error.exitCode;
  }
  if (error instanceof ApiError) {
    write(io.stderr, `error: ${error.message}`);
    const parts = [`HTTP ${error.status}`, error.serverCode].filter(Boolean).join(', ');
    write(
      io.stderr,
      error.correlationId ? `  (${parts}; correlation id ${error.correlationId})` : `  (${parts})`,
    );
    if (error.explanation) write(io.stderr, `\n${error.explanation}`);
    return error.exitCode;
  }
  if (error instanceof CliError) {
    write(io.stderr, `error: ${error.message}`);
    return error.exitCode;
  }
  // A bug: say so in one line, no stack trace (it could quote arguments or responses).
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  write(io.stderr, `error: unexpected failure in streamgate-cli (${name}: ${message}).`);
  return 1;
}
