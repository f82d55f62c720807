// The repository's shape (scripts/layering.ts) holds on the tree, and each rule catches its break.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import {
  checkLayering,
  databaseDriverAllowedFiles,
  fastifyAllowedFiles,
  readRepoSources,
  type SourceFile,
  scanImports,
} from './layering.ts';

const root = resolve(import.meta.dirname, '..');

/** Files from `{ path: text }`. */
const tree = (files: Record<string, string>): SourceFile[] =>
  Object.entries(files).map(([path, text]) => ({ path, text }));

/** Rule and files of each violation, in a stable order. */
const found = (files: Record<string, string>) =>
  sorted(checkLayering(tree(files)).map(({ rule, files }) => ({ rule, files })));

const sorted = <T>(items: T[]): T[] =>
  items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** A small repository that keeps every rule. */
const healthy: Record<string, string> = {
  'packages/portal/src/app.ts':
    "import Fastify from 'fastify';\nimport { registerUserRoutes } from './users/user-routes.ts';",
  'packages/portal/src/http/error-handler.ts': "import type { FastifyReply } from 'fastify';",
  'packages/portal/src/users/user-routes.ts':
    "import type { FastifyInstance } from 'fastify';\nimport { createUserService } from './user-service.ts';",
  'packages/portal/src/users/user-service.ts': "import type { Store } from '../storage/storage.ts';",
  'packages/portal/src/users/user-routes.test.ts':
    "import type { InjectOptions } from 'fastify';\nimport { loginAs } from '../../test-support/harness.ts';",
  'packages/portal/src/storage/storage.ts': "import type { Role } from '@streamgate/contract';",
  'packages/portal/src/storage/postgres/postgres-store.ts': "import pg from 'pg';\nimport '../storage.ts';",
  'packages/portal/src/storage/sqlite/sqlite-store.ts': "import { DatabaseSync } from 'node:sqlite';",
  'packages/portal/src/storage/storage.contract.ts': "import { seed } from '../../test-support/harness.ts';",
  'packages/portal/test-support/harness.ts': "import { buildApp } from '../src/app.ts';",
  'packages/contract/src/index.ts': "export * from './roles.ts';",
  'packages/contract/src/roles.ts': 'export const roles = [];',
  'packages/cli/src/index.ts': "import { roles } from '@streamgate/contract';",
  'packages/cli/test-support/cli-harness.ts':
    "import { startStack } from '../../portal/test-support/harness.ts';",
};

describe('layering', () => {
  it('holds on this repository', () => {
    const files = readRepoSources(root);
    const paths = files.map((file) => file.path);
    // A scanner that read nothing would pass everything.
    assert.ok(files.length > 300, `only ${files.length} source files found`);
    for (const expected of ['packages/portal/src/app.ts', 'kafka/kafka-server.ts', 'scripts/layering.ts']) {
      assert.ok(paths.includes(expected), `${expected} was not read`);
    }
    assert.deepEqual(
      checkLayering(files).map((violation) => violation.message),
      [],
    );
  });

  it('allows only files that exist, by name', () => {
    for (const path of [...fastifyAllowedFiles.keys(), ...databaseDriverAllowedFiles.keys()]) {
      assert.ok(existsSync(join(root, path)), `${path} is allowed by name but does not exist`);
    }
  });

  it('finds nothing in a healthy tree', () => {
    assert.deepEqual(found(healthy), []);
  });

  it('reads import, export … from and import() specifiers, not comments or strings', () => {
    const source = `
      import a from './a.ts';
      import type { B } from './b.ts';
      import {
        c,
        type D,
      } from './c.ts';
      import './side-effect.ts';
      export { e } from './e.ts';
      export type { F } from './f.ts';
      export * as g from './g.ts';
      export const h = 1;
      const lazy = await import('./lazy.ts');
      const here = import.meta.url;
      const ratio = 1 / 2; const slash = /\\/'import x from "./regex.ts"'/;
      // import z from './commented.ts';
      /* export * from './block.ts'; */
      const text = "import y from './quoted.ts'";
      const code = \`import t from './template.ts' \${\`nested \${lazy}\`}\`;
      export { h as i };
    `;
    assert.deepEqual(scanImports(source), [
      { specifier: './a.ts', typeOnly: false },
      { specifier: './b.ts', typeOnly: true },
      { specifier: './c.ts', typeOnly: false },
      { specifier: './side-effect.ts', typeOnly: false },
      { specifier: './e.ts', typeOnly: false },
      { specifier: './f.ts', typeOnly: true },
      { specifier: './g.ts', typeOnly: false },
      { specifier: './lazy.ts', typeOnly: false },
    ]);
  });

  it('reports an import cycle with its path, type-only imports included', () => {
    const violations = checkLayering(
      tree({
        ...healthy,
        'packages/portal/src/users/user-service.ts': "import { audit } from '../audit/audit-log.ts';",
        'packages/portal/src/audit/audit-log.ts': "import type { Logger } from '../portal.ts';",
        'packages/portal/src/portal.ts': "import { createUserService } from './users/user-service.ts';",
      }),
    );
    assert.deepEqual(
      violations.map(({ rule, files }) => ({ rule, files })),
      [
        {
          rule: 'import-cycle',
          files: [
            'packages/portal/src/audit/audit-log.ts',
            'packages/portal/src/portal.ts',
            'packages/portal/src/users/user-service.ts',
          ],
        },
      ],
    );
    assert.match(
      violations[0]!.message,
      /audit\/audit-log\.ts → packages\/portal\/src\/portal\.ts → packages\/portal\/src\/users\/user-service\.ts → packages\/portal\/src\/audit\/audit-log\.ts/,
    );
  });

  it('reports a file that imports itself, and a cycle across packages', () => {
    assert.deepEqual(
      found({
        'packages/portal/src/self.ts': "export * from './self.ts';",
        'packages/contract/src/index.ts': "import '@streamgate/client';",
        'packages/client/src/index.ts': "import '@streamgate/contract';",
      }).map(({ files }) => files),
      [['packages/client/src/index.ts', 'packages/contract/src/index.ts'], ['packages/portal/src/self.ts']],
    );
  });

  it('leaves tests out of cycles (source that imports a test is reported on its own)', () => {
    assert.deepEqual(
      found({
        'packages/portal/src/a.test.ts': "import { b } from './b.ts';",
        'packages/portal/src/b.ts': "import type { T } from './a.test.ts';",
      }),
      [
        {
          rule: 'src-imports-test-support',
          files: ['packages/portal/src/b.ts', 'packages/portal/src/a.test.ts'],
        },
      ],
    );
  });

  it('reports Fastify outside routes, http/ and app.ts', () => {
    const breaks: Record<string, string> = {
      'packages/portal/src/users/user-service.ts': "import type { FastifyRequest } from 'fastify';",
      'packages/portal/src/config.ts': "import cookie from '@fastify/cookie';",
      'packages/portal/src/server.ts': "const { default: Fastify } = await import('fastify');",
      // A test may name Fastify's types, not build a server of its own.
      'packages/portal/src/users/user-routes.test.ts': "import Fastify from 'fastify';",
    };
    assert.deepEqual(
      found({ ...healthy, ...breaks }),
      sorted(Object.keys(breaks).map((path) => ({ rule: 'fastify-outside-http', files: [path] }))),
    );
  });

  it('reports a database driver outside storage/', () => {
    const breaks: Record<string, string> = {
      'packages/portal/src/users/user-service.ts': "import { Client } from 'pg';",
      'packages/portal/src/portal.ts': "import { DatabaseSync } from 'node:sqlite';",
      'packages/portal/test-support/harness.ts': "import pg from 'pg';",
      'bench/portal-auth.ts': "import { Pool } from 'pg';",
    };
    assert.deepEqual(
      found({ ...healthy, ...breaks }),
      sorted(Object.keys(breaks).map((path) => ({ rule: 'database-driver-outside-storage', files: [path] }))),
    );
  });

  it('reports shipping source that imports test-support, a test or a shared suite', () => {
    const breaks: Record<string, [string, string]> = {
      'packages/portal/src/config.ts': [
        "import { seed } from '../test-support/harness.ts';",
        'packages/portal/test-support/harness.ts',
      ],
      'packages/portal/src/portal.ts': [
        "import { runStorageContract } from './storage/storage.contract.ts';",
        'packages/portal/src/storage/storage.contract.ts',
      ],
      'packages/cli/src/index.ts': [
        "import { startCli } from '../test-support/cli-harness.ts';",
        'packages/cli/test-support/cli-harness.ts',
      ],
    };
    assert.deepEqual(
      found({
        ...healthy,
        ...Object.fromEntries(Object.entries(breaks).map(([path, [text]]) => [path, text])),
      }),
      sorted(
        Object.entries(breaks).map(([path, [, imported]]) => ({
          rule: 'src-imports-test-support',
          files: [path, imported],
        })),
      ),
    );
  });

  it("reports a package that imports another package's src/ by path", () => {
    const breaks: Record<string, [string, string]> = {
      'packages/cli/src/index.ts': [
        "import { roles } from '../../contract/src/roles.ts';",
        'packages/contract/src/roles.ts',
      ],
      'packages/portal/test-support/harness.ts': [
        "import { run } from '../../cli/src/index.ts';",
        'packages/cli/src/index.ts',
      ],
    };
    const files = {
      ...healthy,
      ...Object.fromEntries(Object.entries(breaks).map(([path, [text]]) => [path, text])),
    };
    assert.deepEqual(
      found(files),
      sorted(
        Object.entries(breaks).map(([path, [, imported]]) => ({
          rule: 'package-imports-package-by-path',
          files: [path, imported],
        })),
      ),
    );
    const messages = checkLayering(tree(files)).map((violation) => violation.message);
    assert.ok(messages.some((message) => /import @streamgate\/contract by name/.test(message)));
  });
});
