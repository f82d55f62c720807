import type { RotationMode, RotationRun, RotationRunStep } from '@streamgate/contract';

export const STEP_TITLES: Record<RotationRunStep['name'], string> = {
  'move-deployments': 'Move deployments to Token 2',
  'wait-quiet': 'Wait until Token 1 is quiet',
  rotate: 'Rotate',
  'restart-deployments': 'Restart deployments on the new Token 1',
};

export const MODE_TITLES: Record<RotationMode | 'rotate-only', string> = {
  'zero-downtime': 'Zero downtime',
  'restart-deployments': 'Rotate, then restart deployments',
  'rotate-only': 'Rotate only',
};

export const RUN_STATUS_LABELS: Record<RotationRun['status'], { label: string; color: string }> = {
  running: { label: 'Running', color: 'blue' },
  succeeded: { label: 'Succeeded', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'gray' },
};

/** "0.8 s", "12 s", "3 min 5 s": a downtime or a duration as a person reads it. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 10_000 && ms % 1000 !== 0) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
}

/** One sentence for the live region and the banner: where the run is now. */
export function runSummary(run: RotationRun): string {
  if (run.status === 'succeeded') return 'The rotation succeeded.';
  if (run.status === 'cancelled') return 'The rotation was cancelled. Both tokens are still valid.';
  if (run.status === 'failed') return `The rotation failed${run.error ? `: ${run.error}` : '.'}`;
  const index = run.steps.findIndex((s) => s.state === 'running');
  const step = run.steps[index];
  return step ? `Step ${index + 1} of ${run.steps.length}: ${STEP_TITLES[step.name]}.` : 'Running.';
}

/** Cancelling stops before the rotate step; once the pair has changed there is nothing to undo. */
export function canCancel(run: RotationRun): boolean {
  const rotate = run.steps.find((s) => s.name === 'rotate');
  return run.status === 'running' && (!rotate || rotate.state === 'pending');
}

/** "Don't wait for outside clients" only means something before the wait is over. */
export function canForce(run: RotationRun): boolean {
  const wait = run.steps.find((s) => s.name === 'wait-quiet');
  return (
    run.status === 'running' && !run.force && !!wait && (wait.state === 'pending' || wait.state === 'running')
  );
}
