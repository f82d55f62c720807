import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newRow, rowsOf, variableProblems, variablesPayload } from './variables.ts';

describe('deployment variables', () => {
  it('reads secrets without a value and keeps them unless a new value is typed', () => {
    const rows = rowsOf({ LEVEL: { value: 'debug', secret: false }, API_KEY: { secret: true } });
    assert.deepEqual(
      rows.map((r) => [r.name, r.value, r.secret]),
      [
        ['LEVEL', 'debug', false],
        ['API_KEY', '', true],
      ],
    );
    assert.deepEqual(variablesPayload(rows), { LEVEL: 'debug', API_KEY: { secret: true } });
    rows[1]!.value = 'new-key';
    assert.deepEqual(variablesPayload(rows), { LEVEL: 'debug', API_KEY: { value: 'new-key', secret: true } });
    assert.equal(variableProblems(rows).size, 0);
  });

  it('leaves out blank rows and sends new secrets with their value', () => {
    const rows = [newRow(), newRow({ name: 'TOKEN', value: 's3cret', secret: true })];
    assert.deepEqual(variablesPayload(rows), { TOKEN: { value: 's3cret', secret: true } });
    assert.equal(variableProblems(rows).size, 0);
  });

  it('flags bad names, duplicates, platform names and secrets that would lose their value', () => {
    const [stored] = rowsOf({ API_KEY: { secret: true } });
    const renamed = { ...stored!, name: 'OTHER_KEY' };
    const unsecret = { ...stored!, key: 'u', secret: false };
    const rows = [
      newRow({ name: '1BAD', value: 'x' }),
      newRow({ name: 'Quix__Sdk__Token', value: 'x' }),
      newRow({ name: 'DUP', value: 'a' }),
      newRow({ name: 'DUP', value: 'b' }),
      newRow({ name: 'EMPTY_SECRET', secret: true }),
      renamed,
      unsecret,
    ];
    const problems = variableProblems(rows);
    assert.match(problems.get(rows[0]!.key)?.name ?? '', /Letters/);
    assert.match(problems.get(rows[1]!.key)?.name ?? '', /platform/);
    assert.equal(problems.has(rows[2]!.key), false);
    assert.match(problems.get(rows[3]!.key)?.name ?? '', /twice/);
    assert.match(problems.get(rows[4]!.key)?.value ?? '', /value/);
    assert.match(problems.get(renamed.key)?.value ?? '', /old name/);
    assert.match(problems.get('u')?.value ?? '', /never shown back/);
  });
});
