// The client as npm publishes it, type-checked by a TypeScript project outside this repository:
// its declarations import the contract's types, which must resolve without this repo's settings
// (no `allowImportingTsExtensions`, no `streamgate-source` condition).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '../../..');
const repoModules = join(root, 'node_modules');

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

describe('published client types', () => {
  let consumer: string;

  before(() => {
    consumer = mkdtempSync(join(tmpdir(), 'streamgate-consumer-'));
    const packs = join(consumer, 'packs');
    mkdirSync(packs);
    for (const name of ['contract', 'client']) {
      const workspace = join(root, 'packages', name);
      const built = run('npm', ['run', 'build', '--silent'], workspace);
      assert.equal(built.status, 0, built.output);
      const packed = run('npm', ['pack', '--silent', '--pack-destination', packs], workspace);
      assert.equal(packed.status, 0, packed.output);
      const target = join(consumer, 'node_modules', '@streamgate', name);
      mkdirSync(target, { recursive: true });
      const tarball = readdirSync(packs).find((file) => file.startsWith(`streamgate-${name}-`))!;
      const unpacked = run(
        'tar',
        ['xzf', join(packs, tarball), '-C', target, '--strip-components=1'],
        consumer,
      );
      assert.equal(unpacked.status, 0, unpacked.output);
    }
    // What npm would install beside them: their dependencies, taken from this repo's install.
    for (const dependency of ['json-schema-to-ts', 'ts-algebra', '@babel', '@platformatic', '@types']) {
      symlinkSync(join(repoModules, dependency), join(consumer, 'node_modules', dependency));
    }
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
      }),
    );
  });

  after(() => {
    rmSync(consumer, { recursive: true, force: true });
  });

  const typeCheck = (source: string) => {
    writeFileSync(join(consumer, 'main.ts'), source);
    return run(join(repoModules, '.bin', 'tsc'), ['-p', '.'], consumer);
  };

  it('resolves the API types the client re-exports from the contract', () => {
    const result = typeCheck(`
      import { QuixStreamingClient, type Topic, type TopicStatus } from '@streamgate/client';
      const ready: TopicStatus = 'Ready';
      export const describe = (client: QuixStreamingClient, topic: Topic): string =>
        \`\${client.constructor.name} \${topic.id} \${topic.status === ready}\`;
    `);
    assert.equal(result.status, 0, result.output);
  });

  it('keeps them exact: a wrong use of a contract type is a compile error', () => {
    const result = typeCheck(`
      import type { Topic } from '@streamgate/client';
      export const id = (topic: Topic): number => topic.id;
    `);
    assert.notEqual(result.status, 0);
    assert.match(result.output, /Type 'string' is not assignable to type 'number'/);
  });
});
