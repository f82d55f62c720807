// The shape of the repository, checked from the imports of every source file (layering.test.ts).
// A token scanner rather than the TypeScript compiler: the rules only need module specifiers, and
// this reads the whole tree in well under a second.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

export interface SourceFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

export interface ImportRef {
  specifier: string;
  /** `import type …` / `export type … from`: erased before the module runs. */
  typeOnly: boolean;
}

export const ruleNames = [
  'import-cycle',
  'fastify-outside-http',
  'database-driver-outside-storage',
  'src-imports-test-support',
  'package-imports-package-by-path',
] as const;
export type RuleName = (typeof ruleNames)[number];

export interface Violation {
  rule: RuleName;
  /** The files at fault: the importer (and what it imports), or every file of a cycle. */
  files: string[];
  message: string;
}

/** Where the checked sources live; everything else (dist/, node_modules/, kafka/libs/) is not ours. */
const sourceRoots = [
  'packages/*/src',
  'packages/*/test-support',
  'packages/*/interop',
  'packages/*/e2e',
  'kafka',
  'scripts',
  'bench',
  'examples',
];
const sourceExtensions = ['.ts', '.tsx'];
const skippedDirectories = new Set(['node_modules', 'dist', 'libs', 'plain-plugin']);

/** The files the composition of the HTTP server needs Fastify in, besides routes and `http/`. */
export const fastifyAllowedFiles: ReadonlyMap<string, string> = new Map([
  ['packages/portal/src/app.ts', 'buildApp: the composition root that creates the Fastify instance'],
]);

/** Database drivers outside `storage/`, each with the reason. */
export const databaseDriverAllowedFiles: ReadonlyMap<string, string> = new Map([
  [
    'packages/portal/test-support/postgres-cluster.ts',
    'starts a throwaway PostgreSQL and creates its databases',
  ],
  [
    'packages/portal/test-support/drop-database.ts',
    'drops a test database in a cluster shared by a test run',
  ],
  [
    'packages/portal/test-support/crash-engines.ts',
    "reads a killed portal's token rows straight from SQL, behind the store's back",
  ],
]);

const databaseDrivers = new Set(['pg', 'node:sqlite', 'sqlite']);

export function isTestFile(path: string): boolean {
  return /\.test\.tsx?$/.test(path);
}

/** Tests, the shared suites they run (`*.contract.ts`) and their helpers: code that never ships. */
export function isTestCode(path: string): boolean {
  return isTestFile(path) || /\.contract\.tsx?$/.test(path) || /(^|\/)test-support\//.test(path);
}

// --- scanning ----------------------------------------------------------------------------------

type Token = { kind: 'name' | 'string' | 'template' | 'punct' | 'other'; value: string };

/** Keywords after which a `/` starts a regular expression, not a division. */
const regexAfterKeyword = new Set([
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'of',
  'new',
  'void',
  'throw',
]);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // One entry per open `{`: 'code', or 'template' for the `${` of a template literal.
  const braces: ('code' | 'template')[] = [];
  let i = 0;
  const n = text.length;

  const readTemplate = (): void => {
    // i is just past a backtick or the closing `}` of a substitution.
    while (i < n) {
      const c = text[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        i++;
        tokens.push({ kind: 'template', value: '' });
        return;
      } else if (c === '$' && text[i + 1] === '{') {
        i += 2;
        braces.push('template');
        return;
      } else i++;
    }
  };

  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (c === "'" || c === '"') {
      // A quote never spans lines; stopping at one keeps an apostrophe in JSX text harmless.
      let value = '';
      i++;
      while (i < n && text[i] !== c && text[i] !== '\n') {
        if (text[i] === '\\') {
          value += text[i + 1] ?? '';
          i += 2;
        } else value += text[i++];
      }
      i++;
      tokens.push({ kind: 'string', value });
    } else if (c === '`') {
      i++;
      readTemplate();
    } else if (c === '{') {
      braces.push('code');
      tokens.push({ kind: 'punct', value: c });
      i++;
    } else if (c === '}') {
      i++;
      if (braces.pop() === 'template') readTemplate();
      else tokens.push({ kind: 'punct', value: c });
    } else if (/[A-Za-z_$]/.test(c)) {
      const start = i;
      while (i < n && /[\w$]/.test(text[i]!)) i++;
      tokens.push({ kind: 'name', value: text.slice(start, i) });
    } else if (/[0-9]/.test(c)) {
      while (i < n && /[\w.]/.test(text[i]!)) i++;
      tokens.push({ kind: 'other', value: '0' });
    } else if (c === '/') {
      const previous = tokens.at(-1);
      const division =
        previous !== undefined &&
        (previous.kind === 'string' ||
          previous.kind === 'template' ||
          previous.kind === 'other' ||
          (previous.kind === 'name' && !regexAfterKeyword.has(previous.value)) ||
          (previous.kind === 'punct' &&
            (previous.value === ')' || previous.value === ']' || previous.value === '}')));
      i++;
      if (!division) {
        let inClass = false;
        while (i < n && text[i] !== '\n') {
          const r = text[i];
          if (r === '\\') i++;
          else if (r === '[') inClass = true;
          else if (r === ']') inClass = false;
          else if (r === '/' && !inClass) break;
          i++;
        }
        i++;
        while (i < n && /[a-z]/.test(text[i]!)) i++;
        tokens.push({ kind: 'other', value: 'regex' });
      } else tokens.push({ kind: 'punct', value: c });
    } else {
      tokens.push({ kind: 'punct', value: c });
      i++;
    }
  }
  return tokens;
}

/** The module specifiers of `import … from`, `import '…'`, `export … from` and `import('…')`. */
export function scanImports(text: string): ImportRef[] {
  const tokens = tokenize(text);
  const found: ImportRef[] = [];
  const at = (k: number): Token | undefined => tokens[k];
  const isPunct = (k: number, value: string) => at(k)?.kind === 'punct' && at(k)?.value === value;
  const isName = (k: number, value: string) => at(k)?.kind === 'name' && at(k)?.value === value;

  /** From token k on, the string after `from`, before the statement ends. */
  const fromClause = (k: number): string | undefined => {
    for (let j = k; j < tokens.length; j++) {
      if (isPunct(j, ';') || isName(j, 'import') || isName(j, 'export')) return undefined;
      if (isName(j, 'from') && at(j + 1)?.kind === 'string') return at(j + 1)!.value;
    }
    return undefined;
  };

  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    if (token.kind !== 'name' || isPunct(k - 1, '.')) continue;
    if (token.value === 'import') {
      const next = at(k + 1);
      if (next === undefined || isPunct(k + 1, '.')) continue;
      if (next.kind === 'string') found.push({ specifier: next.value, typeOnly: false });
      else if (isPunct(k + 1, '(')) {
        if (at(k + 2)?.kind === 'string' && isPunct(k + 3, ')'))
          found.push({ specifier: at(k + 2)!.value, typeOnly: false });
      } else {
        const specifier = fromClause(k + 1);
        const typeOnly = isName(k + 1, 'type') && !isName(k + 2, 'from') && !isPunct(k + 2, ',');
        if (specifier !== undefined) found.push({ specifier, typeOnly });
      }
    } else if (token.value === 'export') {
      const typeOnly = isName(k + 1, 'type');
      const first = typeOnly ? k + 2 : k + 1;
      if (!isPunct(first, '{') && !isPunct(first, '*')) continue;
      const specifier = fromClause(first);
      if (specifier !== undefined) found.push({ specifier, typeOnly });
    }
  }
  return found;
}

// --- resolving ---------------------------------------------------------------------------------

/**
 * A specifier as a repository path (`packages/portal/src/app.ts`), or undefined for a module that
 * is not ours (`fastify`, `node:fs`). `@streamgate/<pkg>` is the package's `src/index.ts`.
 */
export function resolveImport(
  from: string,
  specifier: string,
  exists: (path: string) => boolean,
): string | undefined {
  let base: string;
  if (specifier.startsWith('.')) {
    base = posix.normalize(posix.join(posix.dirname(from), specifier));
  } else if (specifier.startsWith('@streamgate/')) {
    const [, name, ...rest] = specifier.split('/');
    base = rest.length > 0 ? `packages/${name}/${rest.join('/')}` : `packages/${name}/src/index.ts`;
  } else {
    return undefined;
  }
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    `${base}.ts`,
    `${base}.tsx`,
    `${base}/index.ts`,
  ];
  return candidates.find(exists) ?? base;
}

/** The package a path belongs to (`portal` for `packages/portal/src/app.ts`), if any. */
function packageOf(path: string): string | undefined {
  return /^packages\/([^/]+)\//.exec(path)?.[1];
}

function isUnder(path: string, folder: string): boolean {
  return path.startsWith(`${folder}/`);
}

function isFastify(specifier: string): boolean {
  return specifier === 'fastify' || specifier.startsWith('fastify/') || specifier.startsWith('@fastify/');
}

function isDatabaseDriver(specifier: string): boolean {
  return databaseDrivers.has(specifier) || specifier.startsWith('pg/');
}

// --- the rules ---------------------------------------------------------------------------------

/** Every violation in a set of files; empty when the shape holds. */
export function checkLayering(files: readonly SourceFile[]): Violation[] {
  const paths = new Set(files.map((file) => file.path));
  const exists = (path: string) => paths.has(path);
  const violations: Violation[] = [];
  const graph = new Map<string, string[]>();

  for (const file of files) {
    const internal: string[] = [];
    for (const { specifier, typeOnly } of scanImports(file.text)) {
      const resolved = resolveImport(file.path, specifier, exists);
      const where = `${file.path} imports '${specifier}'`;

      // Tests of the HTTP face may name Fastify's types (`InjectOptions` for `app.inject()`).
      if (isFastify(specifier) && !mayImportFastify(file.path) && !(typeOnly && isTestCode(file.path))) {
        violations.push({
          rule: 'fastify-outside-http',
          files: [file.path],
          message: `${where}: Fastify belongs in *-routes.ts files, packages/portal/src/http/ and app.ts`,
        });
      }
      if (isDatabaseDriver(specifier) && !mayImportDatabaseDriver(file.path)) {
        violations.push({
          rule: 'database-driver-outside-storage',
          files: [file.path],
          message: `${where}: database drivers belong in packages/portal/src/storage/`,
        });
      }
      if (resolved === undefined) continue;

      if (/(^|\/)src\//.test(file.path) && !isTestCode(file.path) && isTestCode(resolved)) {
        violations.push({
          rule: 'src-imports-test-support',
          files: [file.path, resolved],
          message: `${where}: source that ships must not depend on tests or test helpers`,
        });
      }
      const importer = packageOf(file.path);
      const imported = packageOf(resolved);
      if (
        specifier.startsWith('.') &&
        importer !== undefined &&
        imported !== undefined &&
        importer !== imported &&
        isUnder(resolved, `packages/${imported}/src`)
      ) {
        violations.push({
          rule: 'package-imports-package-by-path',
          files: [file.path, resolved],
          message: `${where}: import @streamgate/${imported} by name, not its src/ by path`,
        });
      }
      if (paths.has(resolved)) internal.push(resolved);
    }
    graph.set(file.path, internal);
  }

  for (const cycle of findCycles(graph, (path) => !isTestFile(path))) {
    violations.push({
      rule: 'import-cycle',
      files: cycle.members,
      message: `import cycle: ${cycle.path.join(' → ')}${
        cycle.members.length > cycle.path.length - 1 ? ` (${cycle.members.length} files tangled)` : ''
      }`,
    });
  }
  return violations;
}

function mayImportFastify(path: string): boolean {
  return (
    /-routes\.tsx?$/.test(path) || isUnder(path, 'packages/portal/src/http') || fastifyAllowedFiles.has(path)
  );
}

function mayImportDatabaseDriver(path: string): boolean {
  return isUnder(path, 'packages/portal/src/storage') || databaseDriverAllowedFiles.has(path);
}

interface Cycle {
  /** One cycle through the tangle, first file repeated at the end. */
  path: string[];
  /** Every file of the strongly connected component, sorted. */
  members: string[];
}

/** The tangles (strongly connected components, Tarjan) among the files `include` keeps. */
export function findCycles(
  graph: ReadonlyMap<string, readonly string[]>,
  include: (path: string) => boolean,
): Cycle[] {
  const edges = (node: string) => (graph.get(node) ?? []).filter((next) => graph.has(next) && include(next));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;

  // Iterative, so a deep import chain cannot overflow the call stack.
  for (const root of [...graph.keys()].filter(include).sort()) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      const targets = edges(frame.node);
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfImport = edges(frame.node).includes(frame.node);
        if (component.length > 1 || selfImport) components.push(component.sort());
      }
    }
  }
  return components.map((members) => ({ path: shortestCycle(members, edges), members }));
}

/** A shortest way from the component's first file back to itself, within the component. */
function shortestCycle(members: string[], edges: (node: string) => string[]): string[] {
  const start = members[0]!;
  const inside = new Set(members);
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of edges(node)) {
      if (!inside.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = cameFrom.get(at)) {
          path.unshift(at);
        }
        path.unshift(start);
        return path;
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

// --- reading the repository --------------------------------------------------------------------

/** Every source file under the source roots of the repository at `root`. */
export function readRepoSources(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!skippedDirectories.has(entry.name)) walk(full);
      } else if (sourceExtensions.some((extension) => entry.name.endsWith(extension))) {
        if (entry.name.endsWith('.d.ts')) continue;
        files.push({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
      }
    }
  };
  for (const pattern of sourceRoots) {
    const [head, tail] = pattern.split('/*/');
    const directories =
      tail === undefined
        ? [join(root, head!)]
        : readdirSync(join(root, head!), { withFileTypes: true })
            .filter((entry) => entry.isDirectory())
            .map((entry) => join(root, head!, entry.name, tail));
    for (const directory of directories) if (existsSync(directory)) walk(directory);
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
