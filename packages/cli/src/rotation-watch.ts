import type { RotationRun } from '@streamgate/contract';
import type { CommandContext } from './command.ts';
import { ApiError, InterruptedError, NetworkError } from './errors.ts';
import { apiPath, type PortalApi } from './portal-api.ts';
import { askOnTerminal } from './prompt.ts';
import { ProgressDisplay } from './rotation-progress.ts';

const pollMs = 1000;

export const rotationPath = (workspace: string, rotationId: string) =>
  apiPath`/workspaces/${workspace}/streaming-tokens/rotations/${rotationId}`;

export type WatchResult =
  | { kind: 'ended'; run: RotationRun }
  /** `run`: the last state seen (null when the portal did not answer). */
  | { kind: 'detached'; rotationId: string; run: RotationRun | null };

/** No answer, or a proxy/portal in between restarting. */
const transient = (error: unknown) =>
  error instanceof NetworkError || (error instanceof ApiError && [502, 503, 504].includes(error.status));

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
    let unreachableSince: string | null = null;
    let last: RotationRun | null = null;
    for (;;) {
      let run: RotationRun | null = null;
      try {
        run = await api.get<RotationRun>(path);
        if (unreachableSince)
          context.note(`The portal answers again (no answer since ${unreachableSince} UTC).`);
        unreachableSince = null;
      } catch (error) {
        // The run lives in the portal and survives its restart: keep asking, say so once.
        if (!transient(error)) throw error;
        if (!unreachableSince) {
          unreachableSince = context.io.now().toISOString().slice(11, 19);
          context.note(`${(error as Error).message} Still asking every second (Ctrl-C to stop watching).`);
          display.release();
        }
      }
      if (run) {
        last = run;
        display.update(run);
        if (run.status !== 'running') return { kind: 'ended', run };
      }
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
        return { kind: 'detached', rotationId, run: last };
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
