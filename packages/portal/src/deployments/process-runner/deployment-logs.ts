import {
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Each deployment's output in `<dir>/<deploymentId>/output.log`, with one older file
 * (`output.log.1`) kept beside it. Instances write to the file themselves (an O_APPEND file
 * descriptor is their stdout and stderr), so output is kept while the portal is down and an
 * instance adopted after a restart keeps logging. Rotation copies and truncates, which an
 * O_APPEND writer follows to the new end without noticing.
 */
export interface DeploymentLogs {
  /** An O_APPEND descriptor for a new instance's stdout and stderr; the caller closes it after spawn. */
  openForInstance(deploymentId: string): number;
  /** A line from the runner itself ("started replica 0 with Token 2"), marked as such. */
  note(deploymentId: string, line: string): void;
  rotateIfLarge(deploymentId: string): void;
  tail(deploymentId: string, lines: number): string;
  follow(deploymentId: string, lines: number, signal: AbortSignal): AsyncIterable<string>;
  remove(deploymentId: string): void;
}

const readWindowBytes = 1024 * 1024;
const pollMs = 250;

export function createDeploymentLogs(options: { dir: string; maxBytes: number }): DeploymentLogs {
  const folder = (id: string) => join(options.dir, id);
  const current = (id: string) => join(folder(id), 'output.log');
  const previous = (id: string) => `${current(id)}.1`;

  const size = (path: string): number => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  const readRange = (path: string, from: number, to: number): Buffer => {
    if (to <= from) return Buffer.alloc(0);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return Buffer.alloc(0);
    }
    try {
      const buffer = Buffer.alloc(to - from);
      const read = readSync(fd, buffer, 0, buffer.length, from);
      return buffer.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  };
  const lastLines = (id: string, count: number): { text: string; end: number } => {
    const end = size(current(id));
    let data = readRange(current(id), Math.max(0, end - readWindowBytes), end);
    if (data.length < readWindowBytes) {
      const older = size(previous(id));
      const extra = readWindowBytes - data.length;
      data = Buffer.concat([readRange(previous(id), Math.max(0, older - extra), older), data]);
    }
    const lines = data.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    const kept = lines.slice(-count);
    return { text: kept.length > 0 ? `${kept.join('\n')}\n` : '', end };
  };

  return {
    openForInstance(id) {
      mkdirSync(folder(id), { recursive: true, mode: 0o700 });
      return openSync(current(id), 'a', 0o600);
    },
    note(id, line) {
      mkdirSync(folder(id), { recursive: true, mode: 0o700 });
      const fd = openSync(current(id), 'a', 0o600);
      try {
        writeSync(fd, `[streamgate ${new Date().toISOString()}] ${line}\n`);
      } finally {
        closeSync(fd);
      }
    },
    rotateIfLarge(id) {
      if (size(current(id)) <= options.maxBytes) return;
      copyFileSync(current(id), previous(id));
      truncateSync(current(id), 0);
    },
    tail(id, count) {
      return lastLines(id, count).text;
    },
    async *follow(id, count, signal) {
      const first = lastLines(id, count);
      if (first.text) yield first.text;
      let offset = first.end;
      let partial = '';
      while (!signal.aborted) {
        const end = size(current(id));
        if (end < offset) offset = 0; // rotated (copied away and truncated): read the new file from its start
        if (end > offset) {
          const chunk = readRange(current(id), offset, Math.min(end, offset + readWindowBytes));
          offset += chunk.length;
          const text = partial + chunk.toString('utf8');
          const cut = text.lastIndexOf('\n');
          partial = cut === -1 ? text : text.slice(cut + 1);
          if (cut !== -1) yield text.slice(0, cut + 1);
          continue;
        }
        await sleep(pollMs, undefined, { signal }).catch(() => {});
      }
    },
    remove(id) {
      rmSync(folder(id), { recursive: true, force: true });
    },
  };
}
