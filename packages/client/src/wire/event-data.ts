// EventData: {"Id","Value","Tags","Timestamp"}; EventData[] is a list of them.
import { InvalidArgumentError, SerializationError } from '../errors.ts';
import { toBigInt } from './json.ts';

export interface EventData {
  /** The event id. */
  id: string;
  value: string;
  /** Nanoseconds since the Unix epoch. */
  timestamp: bigint;
  tags: Record<string, string>;
}

export function checkEventId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidArgumentError(`An event id must be a non-empty string, got ${JSON.stringify(id)}`);
  }
}

export function checkEventValue(id: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(
      `The value of event '${id}' is a ${typeof value}; event values are strings (use JSON.stringify for structured data)`,
    );
  }
}

export function encodeEvent(event: EventData): string {
  return `{"Id":${JSON.stringify(event.id)},"Value":${JSON.stringify(event.value)},"Tags":${JSON.stringify(event.tags)},"Timestamp":${event.timestamp}}`;
}

export function encodeEvents(events: readonly EventData[]): string {
  return `[${events.map(encodeEvent).join(',')}]`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function decodeEventBody(body: unknown): EventData {
  if (!isRecord(body)) throw new SerializationError('EventData must be an object');
  const timestamp = toBigInt(body.Timestamp);
  if (timestamp === null) throw new SerializationError('EventData.Timestamp must be an integer');
  const epoch = body.Epoch === undefined || body.Epoch === null ? 0n : toBigInt(body.Epoch);
  if (epoch === null) throw new SerializationError('EventData.Epoch must be an integer');
  const tags: Record<string, string> = Object.create(null);
  if (isRecord(body.Tags)) {
    for (const [key, value] of Object.entries(body.Tags)) if (typeof value === 'string') tags[key] = value;
  }
  return {
    id: typeof body.Id === 'string' ? body.Id : String(body.Id ?? ''),
    value: typeof body.Value === 'string' ? body.Value : body.Value == null ? '' : String(body.Value),
    timestamp: timestamp + epoch,
    tags,
  };
}

export function decodeEventListBody(body: unknown): EventData[] {
  if (!Array.isArray(body)) throw new SerializationError('EventData[] must be an array');
  return body.map(decodeEventBody);
}
