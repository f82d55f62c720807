import { useEffect, useState } from 'react';
import { openTextStream } from '../../api/client.ts';
import { deploymentLogsPath } from '../../api/deployments.ts';
import { appendBounded, createLineSplitter } from './log-lines.ts';

export const TAIL_LINES = 200;
const MAX_LINES = 5000;

export type LogState =
  | { phase: 'connecting' }
  | { phase: 'following' }
  | { phase: 'paused' }
  | { phase: 'ended' }
  | { phase: 'failed'; error: unknown };

/**
 * The last lines of a deployment's log and, while `follow` is on, every line written after them
 * (GET .../logs?follow=true read as a stream). Turning follow off, leaving the page or changing
 * deployment aborts the request, which ends the stream at the portal too.
 */
export function useLogFollow(ws: string, deploymentId: string, follow: boolean, attempt: number) {
  const [lines, setLines] = useState<string[]>([]);
  const [state, setState] = useState<LogState>({ phase: 'connecting' });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is there to reconnect on request
  useEffect(() => {
    if (!follow) {
      setState({ phase: 'paused' });
      return;
    }
    const controller = new AbortController();
    const split = createLineSplitter();
    setState({ phase: 'connecting' });
    (async () => {
      const res = await openTextStream(deploymentLogsPath(ws, deploymentId), {
        query: { tail: TAIL_LINES, follow: 'true' },
        signal: controller.signal,
      });
      // Each connection starts with the tail again: replace, so that no line shows twice.
      setLines([]);
      setState({ phase: 'following' });
      if (!res.body) throw new Error('The browser gave no stream to read.');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const complete = split.push(value);
        if (complete.length > 0) setLines((prev) => appendBounded(prev, complete, MAX_LINES));
      }
      const last = split.flush();
      setLines((prev) => appendBounded(prev, last, MAX_LINES));
      setState({ phase: 'ended' });
    })().catch((error: unknown) => {
      if (controller.signal.aborted) return;
      setState({ phase: 'failed', error });
    });
    return () => controller.abort();
  }, [ws, deploymentId, follow, attempt]);

  return { lines, state };
}
