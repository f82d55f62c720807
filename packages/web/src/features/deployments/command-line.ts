// A deployment's command is an argv list, not a shell line: nothing is expanded when it runs.
// These helpers only let a person paste a line and see a list read back as one.

/**
 * Splits a command line into arguments the way a POSIX shell would split words: whitespace
 * separates, '...' keeps everything literally, "..." keeps everything but \" and \\, and a
 * backslash outside quotes escapes the next character. No variables, globs or operators.
 * Returns an error for an unterminated quote or a trailing backslash.
 */
export function splitCommandLine(line: string): { args: string[] } | { error: string } {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else current += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) current += line[++i];
      else current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\') {
      if (i + 1 >= line.length) return { error: 'The line ends with a backslash.' };
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) return { error: `A ${quote === '"' ? 'double' : 'single'} quote is not closed.` };
  if (inWord) args.push(current);
  return { args };
}

/**
 * One argument written so that splitCommandLine reads it back: bare when safe, else in single
 * quotes, or in double quotes when it contains a single quote (code often does).
 */
export function quoteArgument(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  if (!arg.includes("'")) return `'${arg}'`;
  return `"${arg.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** The argv list as one line that splitCommandLine reads back to the same list. */
export function formatCommandLine(args: readonly string[]): string {
  return args.map(quoteArgument).join(' ');
}
