import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCommandLine, splitCommandLine } from './command-line.ts';

describe('command line', () => {
  it('splits on whitespace and keeps quoted text together', () => {
    assert.deepEqual(splitCommandLine(`node -e "console.log('hi there')"  --flag`), {
      args: ['node', '-e', "console.log('hi there')", '--flag'],
    });
    assert.deepEqual(splitCommandLine(`echo 'a "b"' c\\ d "" x"y"z`), {
      args: ['echo', 'a "b"', 'c d', '', 'xyz'],
    });
    assert.deepEqual(splitCommandLine(`say "a \\"quoted\\" \\\\ \\n"`), {
      args: ['say', 'a "quoted" \\ \\n'],
    });
    assert.deepEqual(splitCommandLine('   '), { args: [] });
  });

  it('refuses what it cannot read unambiguously', () => {
    assert.ok('error' in splitCommandLine(`node -e "unclosed`));
    assert.ok('error' in splitCommandLine(`echo 'unclosed`));
    assert.ok('error' in splitCommandLine('trailing \\'));
  });

  it('formats a list so that it splits back to the same list', () => {
    const lists = [
      ['node', '-e', "setInterval(() => console.log('tick'), 200)"],
      ['python3', 'app.py', '--name=a b', ''],
      ['sh', '-c', `echo "it's" $HOME`],
      ['printf', "a\\b'c\\", '\\n'],
    ];
    for (const args of lists) assert.deepEqual(splitCommandLine(formatCommandLine(args)), { args });
    assert.equal(formatCommandLine(['node', 'server.js']), 'node server.js');
    assert.equal(formatCommandLine(['node', '-e', "console.log('hi')"]), `node -e "console.log('hi')"`);
    assert.equal(formatCommandLine(['echo', 'a b']), `echo 'a b'`);
  });
});
