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
