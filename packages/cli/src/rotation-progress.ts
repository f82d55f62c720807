import type { RotationRun, RotationRunStep } from '@streamgate/contract';

/** What each step does, in the words of docs/deployments.md. */
export const stepLabels: Record<RotationRunStep['name'], string> = {
  'move-deployments': 'move the deployments on Token 1 to Token 2',
  'wait-quiet': 'wait until Token 1 is quiet',
  rotate: 'rotate',
  'restart-deployments': 'restart the deployments on the old Token 1',
};

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

const clock = (iso: string) => `${new Date(iso).toISOString().slice(11, 19)} UTC`;

export const clientLabel = (client: RotationRunStep['clients'][number]) =>
  `${client.userAgent} at ${client.address}${client.deploymentId ? ` (${client.deploymentId})` : ''}`;

/**
 * One line for a step: its name and state, then what the portal says about it. No relative
 * times, so that the line only changes when the step does (a log prints each change once).
 */
export function stepLine(step: RotationRunStep): string {
  const parts = [`${step.name}: ${step.state}`];
  if (step.state === 'done' && step.startedAt && step.endedAt) {
    parts[0] += ` in ${seconds(new Date(step.endedAt).getTime() - new Date(step.startedAt).getTime())}`;
  }
  if (step.detail) parts.push(step.detail);
  if (step.deployments.length > 0) {
    parts.push(
      step.deployments
        .map(
          (deployment) =>
            `${deployment.name} ${deployment.state}` +
            (deployment.downtimeMs === null ? '' : ` (down ${seconds(deployment.downtimeMs)})`),
        )
        .join(', '),
    );
  }
  if (step.state === 'running' && step.clients.length > 0) {
    const count = step.clients.length;
    parts.push(
      `waiting for ${count} outside client${count === 1 ? '' : 's'}: ${step.clients.map(clientLabel).join(', ')}`,
    );
  }
  if (step.state === 'running' && step.quietUntil) parts.push(`quiet at ${clock(step.quietUntil)} if unused`);
  return parts.join('; ');
}

export function runHeadline(run: RotationRun): string {
  return `Rotation run ${run.rotationId} (${run.mode}) of workspace '${run.workspaceId}': ${run.status}`;
}

/** The whole run, for a terminal redrawn in place and for `tokens rotation show`. */
export function runBlock(run: RotationRun): string {
  const marker = { pending: ' ', running: '>', done: '+', failed: '!', skipped: '-' } as const;
  return [
    runHeadline(run),
    ...run.steps.map((step) => `  ${marker[step.state]} ${stepLine(step)}`),
    ...(run.error ? [`  error: ${run.error}`] : []),
  ].join('\n');
}

type Output = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * The progress of a run on stderr. On a terminal the block is redrawn in place; otherwise (a log,
 * CI) each change of a step is printed once as a line, and the run's end as a last line.
 */
export class ProgressDisplay {
  #out: Output;
  #drawnRows = 0;
  #lastBlock = '';
  #printed = new Map<string, string>();

  constructor(out: Output) {
    this.#out = out;
  }

  get redraws(): boolean {
    return this.#out.isTTY === true;
  }

  update(run: RotationRun): void {
    if (this.redraws) {
      this.#redraw(runBlock(run));
      return;
    }
    const lines: string[] = [];
    if (!this.#printed.has('')) lines.push(`${runHeadline(run)}`);
    this.#printed.set('', run.status);
    for (const step of run.steps) {
      const line = stepLine(step);
      if (this.#printed.get(step.name) !== line) lines.push(`  ${line}`);
      this.#printed.set(step.name, line);
    }
    if (run.status !== 'running' && this.#printed.get('end') === undefined) {
      lines.push(`${run.rotationId}: ${run.status}${run.error ? `: ${run.error}` : ''}`);
      this.#printed.set('end', run.status);
    }
    if (lines.length > 0) this.#out.write(`${lines.join('\n')}\n`);
  }

  /** Leaves what is on the screen as it is; the next update draws below it (after a prompt). */
  release(): void {
    this.#drawnRows = 0;
    this.#lastBlock = '';
  }

  #redraw(block: string): void {
    if (block === this.#lastBlock) return;
    // Up to the first row drawn last time, then clear to the end of the screen.
    const erase = this.#drawnRows > 0 ? `\x1b[${this.#drawnRows}F\x1b[J` : '';
    this.#out.write(`${erase}${block}\n`);
    const width = this.#out.columns && this.#out.columns > 0 ? this.#out.columns : 80;
    this.#drawnRows = block
      .split('\n')
      .reduce((rows, line) => rows + Math.max(1, Math.ceil(line.length / width)), 0);
    this.#lastBlock = block;
  }
}
