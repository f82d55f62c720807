// Kafka names in a workspace: every group and transactional id carries the `{workspaceId}-` prefix
// the broker's ACLs are written for.
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from './errors.ts';

export function withWorkspacePrefix(workspaceId: string, name: string): string {
  return name.startsWith(`${workspaceId}-`) ? name : `${workspaceId}-${name}`;
}

/** A group of its own for a consumer that was given none (it never commits). */
export function anonymousGroup(workspaceId: string): string {
  return `${workspaceId}-${randomBytes(5).toString('hex')}`;
}

const MAX_STREAM_ID_LENGTH = 256;

export function checkStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string' || streamId.trim().length === 0) {
    throw new InvalidArgumentError(`A stream id must be a non-empty string, got ${JSON.stringify(streamId)}`);
  }
  if (streamId.length > MAX_STREAM_ID_LENGTH) {
    throw new InvalidArgumentError(
      `A stream id must be at most ${MAX_STREAM_ID_LENGTH} characters, got ${streamId.length}`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we reject
  if (/[\u0000-\u001f\u007f]/.test(streamId)) {
    throw new InvalidArgumentError('A stream id must not contain control characters (newlines, tabs, NUL)');
  }
}

export function checkGroupName(group: unknown): asserts group is string {
  if (typeof group !== 'string' || group.length === 0 || /\s/.test(group)) {
    throw new InvalidArgumentError(
      `A consumer group must be a non-empty string without whitespace, got ${JSON.stringify(group)}`,
    );
  }
}
