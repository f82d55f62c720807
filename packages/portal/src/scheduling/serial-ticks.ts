/**
 * One round of background work at a time (a runner converging, the rotation-run executor
 * advancing). A call while a round runs does not start a second one in parallel: it asks for one
 * more round after it, so nothing that changed meanwhile is missed and nothing runs twice.
 */
export interface SerialTicks {
  /** Runs a round now, or one more after the round under way; resolves when the rounds end. */
  run(): Promise<void>;
  /** From inside a round: take another one as soon as it ends. */
  again(): void;
  /** Resolves when no round is under way. */
  idle(): Promise<void>;
}

export function serialTicks(
  tick: () => Promise<void>,
  options: {
    /** A round that threw (the next call runs again). */
    onError: (error: unknown) => void;
    /** Whether another round may follow (false while stopping). Default: always. */
    mayRepeat?: () => boolean;
    /** Rounds in a row at most, so a round that always asks for more cannot spin. Default: no limit. */
    maxRounds?: number;
  },
): SerialTicks {
  let running: Promise<void> | null = null;
  let more = false;
  const mayRepeat = options.mayRepeat ?? (() => true);
  const maxRounds = options.maxRounds ?? Number.POSITIVE_INFINITY;

  const run = (): Promise<void> => {
    if (running) {
      more = true;
      return running;
    }
    running = (async () => {
      try {
        let rounds = 0;
        do {
          more = false;
          await tick();
        } while (more && mayRepeat() && ++rounds < maxRounds);
      } catch (error) {
        options.onError(error);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  return {
    run,
    again() {
      more = true;
    },
    idle: () => running ?? Promise.resolve(),
  };
}
