import type { RotationRun } from './api-types.ts';
import type { CommandContext } from './command.ts';
import { ApiError, InterruptedError } from './errors.ts';
import { apiPath, type PortalApi } from './portal-api.ts';
import { askOnTerminal } from './prompt.ts';
import { ProgressDisplay } from './rotation-progress.ts';

const pollMs = 1000;

export const rotationPath = (workspace: string, rotationId: string) =>
  apiPath`/workspaces/${workspace}/streaming-tokens/rotations/${rotationId}`;

export type WatchResult = { kind: 'ended'; run: RotationRun } | { kind: 'detached'; run: RotationRun };

/**
 * Polls a run every second and shows its steps until it ends. Ctrl-C: with `detach`, stop
 * watching and leave it running; on a terminal, ask whether to cancel it (Ctrl-C again leaves it
 * running); otherwise nobody can answer, so it is left running and the command fails.
 */
export async function watchRotation(
  context: CommandContext,
  api: PortalApi,
  workspace: string,
  rotationId: string,
  options: { detach: boolean },
): Promise<WatchResult> {
  const path = rotationPath(workspace, rotationId);
  const display = new ProgressDisplay(context.io.stderr);
  let interrupted = false;
  let wake = () => {};
  const offInterrupt = context.io.onInterrupt(() => {
    interrupted = true;
    wake();
  });
  const following = [
    `Follow it: streamgate-cli tokens rotation show ${workspace} ${rotationId} --watch`,
    `Cancel it: streamgate-cli tokens rotation cancel ${workspace} ${rotationId}`,
  ].join('\n');
  try {
    for (;;) {
      const run = await api.get<RotationRun>(path);
      display.update(run);
      if (run.status !== 'running') return { kind: 'ended', run };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        if (interrupted) wake();
      });
      if (!interrupted) continue;
      interrupted = false;
      display.release();
      if (options.detach) {
        context.note(`Rotation run ${rotationId} keeps running on the portal.\n${following}`);
        return { kind: 'detached', run };
      }
      if (!context.io.stdin.isTTY) {
        throw new InterruptedError(
          `Interrupted: rotation run ${rotationId} keeps running on the portal (nothing was cancelled).\n${following}`,
        );
      }
      const answer = await askOnTerminal(
        context.io,
        `Cancel rotation run ${rotationId}? (no: keep watching; Ctrl-C: leave it running and exit)`,
      );
      if (answer === null) {
        throw new InterruptedError(`Left rotation run ${rotationId} running on the portal.\n${following}`);
      }
      if (answer) await cancel(context, api, path, rotationId);
    }
  } finally {
    offInterrupt();
  }
}

/** Asks the portal to cancel; a run past its rotate step cannot be (409), and then it goes on. */
async function cancel(context: CommandContext, api: PortalApi, path: string, rotationId: string) {
  try {
    await api.request<RotationRun>('POST', `${path}/cancel`);
    context.note(`Cancelling rotation run ${rotationId} ...`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 409) throw error;
    context.note(`The portal did not cancel rotation run ${rotationId}: ${error.message}`);
  }
}
