import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import {
  type AdminApi,
  adminApi,
  allAcknowledgedRead,
  deploymentProducing,
  examples,
  longestSilenceMs,
  type RotationRunView,
  readSequence,
  runEnded,
  startRunnerStack,
  stopAllDeployments,
  stopDeployment,
  stoppedProducers,
} from '../packages/portal/test-support/rotation-run-harness.ts';
import type { Stack } from '../packages/portal/test-support/stack.ts';
import { replaceSection } from './results-file.ts';

/**
 * Rotation runs, measured on a real portal running the example services as deployments (process
 * runner, 10 s broker JWTs, instances ready after 2 s) and a real Kafka broker:
 *  1. downtime: one sequence producer (a message every 50 ms); "rotate, then restart" against a
 *     zero-downtime run. Downtime is the longest time with nothing stored from the deployment
 *     around the run, by the producers' own clocks; the baseline is the same measure over the
 *     3 s before the run (the producer's own jitter);
 *  2. duration of a zero-downtime run with 1 and with N deployments (each moved one at a time).
 *
 *   node bench/rotation-runs.ts [--rounds 3] [--many 10] [--many-rounds 2] [--quiet 2] [--no-write]
 */
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    many: { type: 'string', default: '10' },
    'many-rounds': { type: 'string', default: '2' },
    quiet: { type: 'string', default: '2' },
    'no-write': { type: 'boolean', default: false },
  },
});
const rounds = Number(args.rounds);
const many = Number(args.many);
const quietSeconds = Number(args.quiet);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const ms = (value: number) => Math.round(value).toLocaleString('en-US');
const spanMs = (from: string | null, to: string | null) =>
  from && to ? Date.parse(to) - Date.parse(from) : Number.NaN;

interface Downtime {
  baselineMs: number;
  silenceMs: number;
  reportedMs: number | null;
  runMs: number;
  failed: number;
}

async function downtime(
  stack: Stack,
  api: AdminApi,
  ws: string,
  mode: 'restart-deployments' | 'zero-downtime',
): Promise<Downtime> {
  const topic = 'sequence';
  await api.createWorkspace(ws);
  await api.createTopic(ws, topic);
  const before = await api.tokens(ws);
  const d = await api.createDeployment(ws, {
    name: 'producer',
    command: examples.nodeProducer(),
    variables: { TOPIC: topic, INTERVAL_MS: '50' },
  });
  await deploymentProducing(api, ws, d.deploymentId, { tokenId: before.token1.id });
  const firstProducers = new Set(producersIn(await api.logs(ws, d.deploymentId)));
  await sleep(3500);
  const started = await api.startRotation(ws, { mode, quietSeconds });
  const run = await runEnded(api, ws, started.rotationId);
  if (run.status !== 'succeeded') throw new Error(`${ws}: run ${run.status}: ${JSON.stringify(run)}`);
  const after = await api.tokens(ws);
  await deploymentProducing(api, ws, d.deploymentId, {
    tokenId: after.token1.id, // either way: the zero-downtime run moved it to Token 2, now Token 1
    afterProducers: firstProducers,
  });
  await sleep(2000);
  const stopRequested = Date.now();
  const log = await stopDeployment(api, ws, d.deploymentId);
  const stopped = stoppedProducers(log);
  const messages = await readSequence(stack, ws, after.token1.value, topic, (m) =>
    allAcknowledgedRead(stopped, m),
  );
  if (!allAcknowledgedRead(stopped, messages)) throw new Error(`${ws}: acknowledged messages missing`);
  const runStart = Date.parse(run.createdAt);
  const restart = run.steps.find((s) => s.name === 'restart-deployments')?.deployments[0];
  return {
    baselineMs: longestSilenceMs(messages, 'producer-0/', { from: runStart - 3000, to: runStart }),
    silenceMs: longestSilenceMs(messages, 'producer-0/', { from: runStart - 1000, to: stopRequested - 500 }),
    reportedMs: mode === 'zero-downtime' ? 0 : (restart?.downtimeMs ?? null),
    runMs: spanMs(run.createdAt, run.endedAt),
    failed: stopped.reduce((sum, p) => sum + p.failed, 0),
  };
}

/** The producers that printed "producing" so far. */
function producersIn(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{"event":"producing"'))
    .map((line) => (JSON.parse(line) as { producer: string }).producer);
}

interface Duration {
  totalMs: number;
  moveMs: number;
  waitQuietMs: number;
  rotateMs: number;
}

async function zeroDowntimeDuration(api: AdminApi, ws: string, deployments: number): Promise<Duration> {
  await api.createWorkspace(ws);
  await api.createTopic(ws, 'sequence');
  const before = await api.tokens(ws);
  const created = [];
  for (let i = 0; i < deployments; i++)
    created.push(
      await api.createDeployment(ws, {
        name: `producer-${i}`,
        command: examples.nodeProducer(),
        variables: { TOPIC: 'sequence', INTERVAL_MS: '200' },
      }),
    );
  for (const d of created)
    await deploymentProducing(api, ws, d.deploymentId, { tokenId: before.token1.id, timeoutMs: 180_000 });
  const started = await api.startRotation(ws, { mode: 'zero-downtime', quietSeconds });
  const run: RotationRunView = await runEnded(api, ws, started.rotationId, 600_000);
  if (run.status !== 'succeeded') throw new Error(`${ws}: run ${run.status}: ${JSON.stringify(run)}`);
  const stepMs = (name: string) => {
    const s = run.steps.find((x) => x.name === name)!;
    return spanMs(s.startedAt, s.endedAt);
  };
  await stopAllDeployments(api, [ws]);
  return {
    totalMs: spanMs(run.createdAt, run.endedAt),
    moveMs: stepMs('move-deployments'),
    waitQuietMs: stepMs('wait-quiet'),
    rotateMs: stepMs('rotate'),
  };
}

const stack = await startRunnerStack({ STREAMGATE_LOG_LEVEL: 'warn' });
const workspaces: string[] = [];
let api: AdminApi | null = null;
try {
  api = await adminApi(stack);
  const restart: Downtime[] = [];
  const zero: Downtime[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternating which mode goes first, so neither always runs on a warmer machine.
    const order = round % 2 === 0 ? (['restart', 'zero'] as const) : (['zero', 'restart'] as const);
    for (const which of order) {
      const ws = `dt-${which}-${round}`;
      workspaces.push(ws);
      const result = await downtime(
        stack,
        api,
        ws,
        which === 'restart' ? 'restart-deployments' : 'zero-downtime',
      );
      (which === 'restart' ? restart : zero).push(result);
      console.log(`downtime round ${round + 1} ${which}: ${JSON.stringify(result)}`);
    }
  }
  const one: Duration[] = [];
  const lots: Duration[] = [];
  for (let round = 0; round < rounds; round++) {
    const ws = `dur-1-${round}`;
    workspaces.push(ws);
    one.push(await zeroDowntimeDuration(api, ws, 1));
    console.log(`duration round ${round + 1}, 1 deployment: ${JSON.stringify(one.at(-1))}`);
  }
  for (let round = 0; round < Number(args['many-rounds']); round++) {
    const ws = `dur-${many}-${round}`;
    workspaces.push(ws);
    lots.push(await zeroDowntimeDuration(api, ws, many));
    console.log(`duration round ${round + 1}, ${many} deployments: ${JSON.stringify(lots.at(-1))}`);
  }

  const baseline = median([...restart, ...zero].map((d) => d.baselineMs));
  const downtimeTable = [
    '| measurement (median) | no rotation (baseline) | rotate, then restart | zero-downtime run |',
    '| --- | ---: | ---: | ---: |',
    `| longest silence in the sequence, ms | ${ms(baseline)} | ${ms(median(restart.map((d) => d.silenceMs)))} | ${ms(median(zero.map((d) => d.silenceMs)))} |`,
    `| ratio to the baseline | 1.00 | **${(median(restart.map((d) => d.silenceMs)) / baseline).toFixed(1)}** | **${(median(zero.map((d) => d.silenceMs)) / baseline).toFixed(1)}** |`,
    `| each run's silence, ms | ${[...restart, ...zero].map((d) => ms(d.baselineMs)).join(', ')} | ${restart.map((d) => ms(d.silenceMs)).join(', ')} | ${zero.map((d) => ms(d.silenceMs)).join(', ')} |`,
    `| downtime the run reports, ms | | ${ms(median(restart.map((d) => d.reportedMs ?? Number.NaN)))} | 0 (moved, new ready before old stops) |`,
    `| failed deliveries (old instance) | | ${median(restart.map((d) => d.failed))} | ${median(zero.map((d) => d.failed))} |`,
    `| run duration, ms | | ${ms(median(restart.map((d) => d.runMs)))} | ${ms(median(zero.map((d) => d.runMs)))} |`,
  ].join('\n');
  const durationRow = (label: string, values: Duration[]) =>
    `| ${label} | ${ms(median(values.map((d) => d.totalMs)))} | ${ms(median(values.map((d) => d.moveMs)))} | ${ms(median(values.map((d) => d.waitQuietMs)))} | ${ms(median(values.map((d) => d.rotateMs)))} |`;
  const perMove = (median(lots.map((d) => d.moveMs)) - median(one.map((d) => d.moveMs))) / (many - 1);
  const durationTable = [
    '| zero-downtime run (median) | total, ms | move-deployments, ms | wait-quiet, ms | rotate, ms |',
    '| --- | ---: | ---: | ---: | ---: |',
    durationRow(`1 deployment (${rounds} runs)`, one),
    durationRow(`${many} deployments (${lots.length} runs)`, lots),
    `| ratio ${many} / 1 | **${(median(lots.map((d) => d.totalMs)) / median(one.map((d) => d.totalMs))).toFixed(2)}** | ${(median(lots.map((d) => d.moveMs)) / median(one.map((d) => d.moveMs))).toFixed(2)} | | |`,
  ].join('\n');
  console.log(`\n${downtimeTable}\n\n${durationTable}\n\neach further deployment adds ${ms(perMove)} ms`);

  if (!args['no-write']) {
    replaceSection(
      'rotation-runs',
      [
        '## Rotation runs: downtime, and how long a zero-downtime run takes',
        '',
        `Measured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, this project's 2-core machine: one portal process (SQLite, process runner, broker JWTs of 10 s, an instance counts as ready after 2 s up) and one Kafka broker on loopback; the deployments are \`examples/sequence-producer.ts\`. Medians of ${rounds} runs per mode (the two modes alternating which goes first), ${lots.length} for ${many} deployments; \`quietSeconds\` ${quietSeconds}; load average ${loadavg()[0]!.toFixed(1)} at the end (other work on the machine).`,
        '',
        'Downtime, one producer sending a message every 50 ms. The silence is the longest time with nothing stored from the deployment, from 1 s before the run until its replacement has produced for 2 s, by the send times in the messages read back; the baseline is the same measure over the 3 s before the run.',
        '',
        downtimeTable,
        '',
        `Duration of a zero-downtime run (producers sending every 200 ms); each further deployment adds about ${ms(perMove)} ms (one at a time: start on Token 2, ready after 2 s, stop the old one).`,
        '',
        durationTable,
        '',
        'What the numbers say:',
        '',
        '- "Rotate, then restart" costs every deployment an outage from the broker cutoff until its new instance produces. The run\'s `downtimeMs` counts from the rotation until the new instance counts as ready (up for 2 s here); readers see the silence until its first message, which depends on the service\'s own start-up (fetch the config, mint a JWT, connect), so the two differ by that much, either way.',
        '- The zero-downtime run fails no delivery and leaves no gap in any sequence. What silence remains is at the hand-over: the old instance is stopped once the new one has been up for the readiness delay, not once it produces, so a service slower to start than that (here, under load) leaves a pause of the difference. A readiness signal from the service would close it; the runner has none yet.',
        '- Its duration grows linearly with the deployments (they move one at a time), plus `quietSeconds` (here short; the default is the broker JWT lifetime) and a moment for the rotation and the ACL change.',
        '',
        'Reproduce: `./streamgate setup && node bench/rotation-runs.ts` (PATH with Node 24: `.tools/bin`; about 4 minutes).',
      ].join('\n'),
    );
  }
} finally {
  if (api) await stopAllDeployments(api, workspaces).catch(() => {});
  await stack.stop();
}
