import type { RotationRun } from '@streamgate/contract';
import type { CommandContext } from './command.ts';
import { RotationRunError } from './errors.ts';
import { seconds } from './rotation-progress.ts';

/**
 * The end of a run: what changed on stdout (or the run as JSON), exit 0; a failed or cancelled
 * run is an error carrying the portal's reason, after saying where the tokens stand.
 */
export function reportRun(context: CommandContext, run: RotationRun): void {
  if (run.status === 'running') throw new TypeError('reportRun takes a run that has ended');
  const rotate = run.steps.find((step) => step.name === 'rotate');
  if (context.json) context.printJson(run);
  if (run.status !== 'succeeded') {
    if (rotate?.state !== 'done') {
      context.note(
        'Token 1 was not rotated: both tokens are still valid, and deployments already moved run on Token 2.',
      );
    }
    const reason = run.error && run.error !== run.status ? `: ${run.error}` : '';
    const what = run.status === 'cancelled' ? 'was cancelled' : 'failed';
    throw new RotationRunError(
      run.rotationId,
      run.status,
      `Rotation run ${run.rotationId} ${what}${reason}.`,
    );
  }
  if (context.json) return;
  const took =
    run.endedAt === null
      ? ''
      : `, ${seconds(new Date(run.endedAt).getTime() - new Date(run.createdAt).getTime())}`;
  const lines = [
    `Rotated the streaming tokens of workspace ${run.workspaceId} (rotation run ${run.rotationId}, ${run.mode}${took}).`,
    `  deactivated: ${run.fromTokenIds.token1} (the former Token 1)`,
    `  Token 1:     ${run.fromTokenIds.token2} (the former Token 2)`,
  ];
  for (const step of run.steps) {
    if (step.deployments.length === 0) continue;
    const names = step.deployments.map(
      (deployment) =>
        `${deployment.name} (${[
          ...(deployment.state === 'done' ? [] : [deployment.state]),
          deployment.downtimeMs === null ? 'downtime unknown' : `down ${seconds(deployment.downtimeMs)}`,
        ].join(', ')})`,
    );
    const what = step.name === 'move-deployments' ? 'moved to Token 2 first' : 'restarted on the new Token 1';
    lines.push(`  ${what}: ${names.join(', ')}`);
  }
  if (run.brokerCutoff) lines.push(`  broker cut-off of the old Token 1: ${run.brokerCutoff}`);
  context.print(lines.join('\n'));
}
