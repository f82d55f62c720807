import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import type { RotationRun, RotationRunStep } from '@streamgate/contract';
import { ProgressDisplay, runBlock, stepLine } from './rotation-progress.ts';

const step = (
  name: RotationRunStep['name'],
  state: RotationRunStep['state'] = 'pending',
): RotationRunStep => ({
  name,
  state,
  startedAt: null,
  endedAt: null,
  detail: null,
  deployments: [],
  clients: [],
  quietUntil: null,
});

const run = (steps: RotationRunStep[], status: RotationRun['status'] = 'running'): RotationRun => ({
  rotationId: 'rot-1',
  workspaceId: 'acme',
  mode: 'zero-downtime',
  status,
  quietSeconds: 10,
  timeoutSeconds: 610,
  force: false,
  startedBy: 'admin@example.test',
  error: null,
  fromTokenIds: { token1: 'st-a', token2: 'st-b' },
  brokerCutoff: null,
  steps,
  createdAt: '2025-06-01T12:00:00.000Z',
  updatedAt: '2025-06-01T12:00:00.000Z',
  endedAt: null,
});

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  stream.isTTY = isTTY;
  stream.columns = 200;
  return { stream, text: () => chunks.join(''), chunks };
}

const moving = (state: 'moving' | 'done'): RotationRunStep => ({
  ...step('move-deployments', state === 'done' ? 'done' : 'running'),
  startedAt: '2025-06-01T12:00:00.000Z',
  endedAt: state === 'done' ? '2025-06-01T12:00:02.500Z' : null,
  deployments: [
    {
      deploymentId: 'dep-1',
      name: 'orders',
      fromTokenId: 'st-a',
      toTokenId: 'st-b',
      state,
      downtimeMs: null,
    },
  ],
});

test('a step line names the step, its state, the deployments and the clients waited for', () => {
  assert.equal(stepLine(moving('moving')), 'move-deployments: running; orders moving');
  assert.equal(stepLine(moving('done')), 'move-deployments: done in 2.5 s; orders done');
  const waiting: RotationRunStep = {
    ...step('wait-quiet', 'running'),
    detail: 'waiting for 1 client(s) of Token 1 to go quiet',
    clients: [
      {
        userAgent: 'quixstreams/3.2',
        address: '10.0.0.7',
        deploymentId: null,
        lastUsedAt: '2025-06-01T12:00:01Z',
      },
    ],
    quietUntil: '2025-06-01T12:00:11.000Z',
  };
  assert.equal(
    stepLine(waiting),
    'wait-quiet: running; waiting for 1 client(s) of Token 1 to go quiet; waiting for 1 outside client: quixstreams/3.2 at 10.0.0.7; quiet at 12:00:11 UTC if unused',
  );
});

test('without a terminal, each change of a step is printed once, and the end', () => {
  const out = capture(false);
  const display = new ProgressDisplay(out.stream);
  const first = run([moving('moving'), step('wait-quiet'), step('rotate')]);
  display.update(first);
  display.update(first); // a poll with no change prints nothing
  display.update(run([moving('done'), step('wait-quiet', 'running'), step('rotate')]));
  display.update(run([moving('done'), step('wait-quiet', 'done'), step('rotate', 'done')], 'succeeded'));
  assert.equal(
    out.text(),
    [
      "Rotation run rot-1 (zero-downtime) of workspace 'acme': running",
      '  move-deployments: running; orders moving',
      '  wait-quiet: pending',
      '  rotate: pending',
      '  move-deployments: done in 2.5 s; orders done',
      '  wait-quiet: running',
      '  wait-quiet: done',
      '  rotate: done',
      'rot-1: succeeded',
      '',
    ].join('\n'),
  );
});

test('on a terminal, the block is redrawn in place', () => {
  const out = capture(true);
  const display = new ProgressDisplay(out.stream);
  display.update(run([moving('moving'), step('rotate')]));
  display.update(run([moving('moving'), step('rotate')]));
  display.update(run([moving('done'), step('rotate', 'running')]));
  assert.equal(out.chunks.length, 2, 'an unchanged block is not drawn again');
  assert.equal(out.chunks[0], `${runBlock(run([moving('moving'), step('rotate')]))}\n`);
  assert.ok(out.chunks[1]!.startsWith('\x1b[3F\x1b[J'), 'back up the three rows drawn, clear, draw');
  assert.match(out.chunks[1]!, /\+ move-deployments: done in 2\.5 s; orders done\n {2}> rotate: running\n$/);
  display.release(); // e.g. a prompt was printed below: draw afresh
  display.update(run([moving('done'), step('rotate', 'done')], 'succeeded'));
  assert.ok(!out.chunks[2]!.startsWith('\x1b['));
});
