import { type Command, type OptionSpec, usageLine } from './command.ts';
import { renderTable } from './format.ts';

export const globalOptions = {
  url: {
    type: 'string',
    placeholder: '<url>',
    description: 'The portal, e.g. http://127.0.0.1:8700 (else STREAMGATE_URL, else the saved login).',
  },
  token: {
    type: 'string',
    placeholder: '<pat>',
    description:
      'A personal access token, sgp_... (else STREAMGATE_TOKEN, else the saved login); prefer those, as other local users can see arguments.',
  },
  json: { type: 'boolean', description: 'Print JSON on stdout instead of text.' },
  help: { type: 'boolean', short: 'h', description: 'Show help.' },
} as const satisfies Record<string, OptionSpec>;

const commandName = (command: Command) => command.path.join(' ');

function optionRows(options: Readonly<Record<string, OptionSpec>>): string[][] {
  return Object.entries(options).map(([name, spec]) => [
    `  ${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.placeholder ?? '<value>'}` : ''}`,
    spec.multiple ? `${spec.description} Repeatable.` : spec.description,
  ]);
}

/** Two columns without a header row. */
function columns(rows: string[][]): string {
  return renderTable(['', ''], rows).split('\n').slice(1).join('\n');
}

export function generalHelp(commands: readonly Command[]): string {
  return [
    'streamgate-cli: the Streamgate Portal API from the command line.',
    '',
    'Usage: streamgate-cli <command> [arguments] [options]',
    '',
    'Commands:',
    columns(commands.map((command) => [`  ${commandName(command)}`, command.summary])),
    '',
    'Global options (every command):',
    columns([...optionRows(globalOptions), ['  -V, --version', 'Print the version.']]),
    '',
    'Environment: STREAMGATE_URL, STREAMGATE_TOKEN; login saves to $XDG_CONFIG_HOME/streamgate/config.json',
    '(default ~/.config/streamgate/config.json, mode 0600).',
    'Exit codes: 0 done, 1 the portal refused or could not be reached (or you said no), 2 bad usage.',
    "Run 'streamgate-cli <command> --help' for a command's options and examples.",
  ].join('\n');
}

/** The commands whose words start with `prefix` (`tokens`, or `tokens rotation`). */
export function nounHelp(prefix: readonly string[], commands: readonly Command[]): string {
  const mine = commands.filter((command) => prefix.every((word, index) => command.path[index] === word));
  const name = prefix.join(' ');
  return [
    `Commands under '${name}':`,
    columns(mine.map((command) => [`  ${commandName(command)}`, command.summary])),
    '',
    `Run 'streamgate-cli ${name} <command> --help' for details.`,
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const own = Object.keys(command.options).length > 0;
  return [
    `Usage: ${usageLine(command)}`,
    '',
    command.summary,
    ...(command.details ?? []),
    ...(own ? ['', 'Options:', columns(optionRows(command.options))] : []),
    ...(command.trailing
      ? ['', columns([[`  -- <${command.trailing.name}>...`, command.trailing.description]])]
      : []),
    '',
    'Global options: --url <url>, --token <pat>, --json, --help',
    '',
    'Examples:',
    ...command.examples.map((example) => `  ${example}`),
  ].join('\n');
}
