import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const resultsPath = join(import.meta.dirname, 'RESULTS.md');

/**
 * Replaces one benchmark's section of bench/RESULTS.md (between its markers), or appends it,
 * so each benchmark rewrites only its own results.
 */
export function replaceSection(name: string, content: string): void {
  const begin = `<!-- ${name}:begin (written by bench/${name}.ts) -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${begin}\n${content}\n${end}`;
  const text = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '# Benchmark results\n';
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  const next =
    from >= 0 && to > from
      ? text.slice(0, from) + block + text.slice(to + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(resultsPath, next);
}
