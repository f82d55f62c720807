// Schemathesis (PyPI) for the schema-fuzzing test: its own venv under .tools/, created once and
// reused while the pinned version matches.
import { join, resolve } from 'node:path';
import { ensurePythonRequirements } from '../../client/test-support/python-venv.ts';

/** The release the fuzzing test is written against (newest 4.x at the time). */
export const schemathesisRequirement = 'schemathesis==4.32.5';

const repoRoot = resolve(import.meta.dirname, '../../..');
const venvDir = process.env.STREAMGATE_SCHEMATHESIS_PYENV ?? join(repoRoot, '.tools', 'pyenv-schemathesis');

/** The path of the venv's `st` command. */
export async function ensureSchemathesis(): Promise<string> {
  await ensurePythonRequirements(venvDir, [schemathesisRequirement]);
  return join(venvDir, 'bin', 'st');
}

export type Status = number | `${number}xx`;

/**
 * Schema-valid requests one operation refuses on purpose, and why (a comment in the config).
 * The operation is named by its label (`POST /users`), a regular expression over labels, or a
 * path (every method). One filter each: schemathesis ORs the filters of an entry.
 */
export interface RefusedOnPurpose {
  operation?: string;
  operationRegex?: string;
  path?: string;
  statuses: Status[];
  why: string;
}

/**
 * A schemathesis.toml: which statuses count as refusing invalid data, and per operation which
 * extra statuses a schema-valid request may get. Strings go in as JSON strings, which TOML reads
 * the same.
 */
export function schemathesisConfig(options: {
  negativeDataRejected: Status[];
  acceptedStatuses: Status[];
  schemaValidButRefused: RefusedOnPurpose[];
}): string {
  const list = (statuses: Status[]) => `[${statuses.map((s) => JSON.stringify(s)).join(', ')}]`;
  const lines = [
    '[checks.negative_data_rejection]',
    `expected-statuses = ${list(options.negativeDataRejected)}`,
  ];
  for (const rule of options.schemaValidButRefused) {
    const filters = [
      rule.operation === undefined ? null : `include-name = ${JSON.stringify(rule.operation)}`,
      rule.operationRegex === undefined
        ? null
        : `include-name-regex = ${JSON.stringify(rule.operationRegex)}`,
      rule.path === undefined ? null : `include-path = ${JSON.stringify(rule.path)}`,
    ].filter((line) => line !== null);
    if (filters.length !== 1)
      throw new TypeError('Name the operation one way: operation, operationRegex or path.');
    lines.push('', `# ${rule.why}`, '[[operations]]', ...filters);
    lines.push(
      `checks.positive_data_acceptance.expected-statuses = ${list([...options.acceptedStatuses, ...rule.statuses])}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
