import { createInterface } from 'node:readline/promises';
import type { Io } from './command.ts';

/** Asks on the terminal; only `y` or `yes` is a yes. End of input (or Ctrl-C) is a no. */
export async function confirmOnTerminal(io: Io, question: string): Promise<boolean> {
  return (await askOnTerminal(io, question)) === true;
}

/** Like `confirmOnTerminal`, but tells a no (false) from no answer at all: Ctrl-C or end of input (null). */
export async function askOnTerminal(io: Io, question: string): Promise<boolean | null> {
  const readline = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    const answer = await new Promise<string | null>((resolve) => {
      readline.once('close', () => resolve(null));
      readline.question(`${question} [y/N] `).then(resolve, () => resolve(null));
    });
    return answer === null ? null : /^(y|yes)$/i.test(answer.trim());
  } finally {
    readline.close();
  }
}

/** All of stdin, for secrets piped in (`... | streamgate-cli login --url ...`). */
export async function readAllStdin(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
