// The Quix Streams message envelope: key = stream id, headers __Q_ModelKey / __Q_CodecId, JSON body.
// The older headerless framing {"C":codec,"K":modelKey,"V":body,"S":start,"E":end} is read always
// and written on request: it is the only one quixstreams 0.5.x (the C# QuixStreamingClient) reads.
import { gunzipSync } from 'node:zlib';
import { SerializationError } from '../errors.ts';
import { parseJson, parseJsonExactMembers } from './json.ts';

export const headerNames = {
  modelKey: '__Q_ModelKey',
  codecId: '__Q_CodecId',
  splitMessageId: '__Q_SplitMessageId',
} as const;

export const modelKeys = {
  timeseriesData: 'TimeseriesData',
  /** The former name of TimeseriesData, still written by Python's legacy framing. */
  parameterData: 'ParameterData',
  eventData: 'EventData',
  eventDataList: 'EventData[]',
  streamProperties: 'StreamProperties',
  streamEnd: 'StreamEnd',
  parameterDefinitions: 'ParameterDefinitions',
  eventDefinitions: 'EventDefinitions',
} as const;

export type ModelKey = Exclude<(typeof modelKeys)[keyof typeof modelKeys], 'ParameterData'>;

/** The codec this client writes: typed JSON, as quixstreams' serializers do. */
export const writeCodecId = 'JT';
const jsonCodecs = new Set(['J', 'JT']);
const gzipPrefix = '[GZIP]';

const knownModelKeys = new Set<string>(Object.values(modelKeys));
const timeseriesExactMembers = ['Timestamps', 'Epoch'] as const;

/**
 * Where a message says what it is. `headers`: in `__Q_` Kafka headers, as quixstreams 2.x and 3.x
 * write. `headerless`: in a JSON envelope around the body, the framing quixstreams 0.5.x reads.
 */
export const framings = ['headers', 'headerless'] as const;
export type Framing = (typeof framings)[number];

export interface EncodedMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

export function encodeQuixMessage(
  streamId: string,
  modelKey: ModelKey,
  json: string,
  framing: Framing = 'headers',
): EncodedMessage {
  if (framing === 'headerless') return encodeHeaderless(streamId, modelKey, json);
  return {
    key: streamId,
    value: Buffer.from(json, 'utf8'),
    headers: { [headerNames.modelKey]: modelKey, [headerNames.codecId]: writeCodecId },
  };
}

/**
 * The 0.5.x reader finds the body through S and E, byte offsets into the UTF-8 message, and takes
 * it as JSON only when it starts with { or [ and ends with } or ] (which every body here does).
 * It registers timeseries under ParameterData (TimeseriesData too, but older C# readers do not)
 * and events only as EventData[]: a lone EventData would reach its user as a raw message.
 */
function encodeHeaderless(streamId: string, modelKey: ModelKey, json: string): EncodedMessage {
  let key: string = modelKey;
  let body = json;
  if (modelKey === modelKeys.timeseriesData) key = modelKeys.parameterData;
  else if (modelKey === modelKeys.eventData) {
    key = modelKeys.eventDataList;
    body = `[${json}]`;
  }
  const head = `{"C":"${writeCodecId}","K":"${key}","V":`;
  const start = Buffer.byteLength(head, 'utf8');
  const end = start + Buffer.byteLength(body, 'utf8');
  return {
    key: streamId,
    value: Buffer.from(`${head}${body},"S":${start},"E":${end}}`, 'utf8'),
    headers: {},
  };
}

export interface DecodedMessage {
  modelKey: ModelKey;
  body: unknown;
}

type HeaderSource = Map<string, Buffer | string> | Iterable<[string | Buffer, Buffer | string]> | undefined;

function headerMap(headers: HeaderSource): Map<string, string> {
  const map = new Map<string, string>();
  if (!headers) return map;
  for (const [key, value] of headers) map.set(key.toString(), value.toString());
  return map;
}

const legacyStart = Buffer.from('{"C":');

function isLegacyFraming(value: Buffer): boolean {
  return value.subarray(0, legacyStart.length).equals(legacyStart) && value.includes('"K":');
}

/**
 * The model key and parsed body of a Quix message, or null for a model this client does not know
 * (newer producers may add some; they are skipped like quixstreams does).
 */
export function decodeQuixMessage(value: Buffer | null, headers: HeaderSource): DecodedMessage | null {
  if (!value || value.length === 0) throw new SerializationError('Empty message: not in the Quix format');
  if (value[0] === 0x3c /* '<' */) {
    throw new SerializationError('Message splitting (legacy "<" framing) is not supported');
  }

  let codecId: string | undefined;
  let modelKey: string | undefined;
  let body: unknown;
  let bodyParsed = false;

  if (isLegacyFraming(value)) {
    const envelope = parseJson(value.toString('utf8')) as Record<string, unknown>;
    codecId = typeof envelope.C === 'string' ? envelope.C : undefined;
    modelKey = typeof envelope.K === 'string' ? envelope.K : undefined;
    body = envelope.V;
    bodyParsed = true;
  } else {
    const map = headerMap(headers);
    if (map.has(headerNames.splitMessageId)) {
      throw new SerializationError(`Message splitting (${headerNames.splitMessageId}) is not supported`);
    }
    codecId = map.get(headerNames.codecId);
    modelKey = map.get(headerNames.modelKey);
  }
  if (!codecId)
    throw new SerializationError(`Not a Quix message: the ${headerNames.codecId} header is missing`);
  if (!modelKey)
    throw new SerializationError(`Not a Quix message: the ${headerNames.modelKey} header is missing`);
  if (modelKey === modelKeys.parameterData) modelKey = modelKeys.timeseriesData;

  let payload = value;
  if (codecId.startsWith(gzipPrefix)) {
    codecId = codecId.slice(gzipPrefix.length);
    if (!bodyParsed) payload = gunzipSync(value);
  }
  if (!jsonCodecs.has(codecId)) {
    throw new SerializationError(`Unsupported Quix codec '${codecId}' (this client reads J and JT)`);
  }
  if (!knownModelKeys.has(modelKey)) return null;
  if (!bodyParsed) {
    try {
      const text = payload.toString('utf8');
      // Only a timeseries' timestamps need exact integers (its values become doubles anyway), and
      // timeseries are the bulk of the traffic: they skip the per-value reviver.
      body =
        modelKey === modelKeys.timeseriesData
          ? parseJsonExactMembers(text, timeseriesExactMembers)
          : parseJson(text);
    } catch (cause) {
      throw new SerializationError(`Invalid JSON in a ${modelKey} message`, { cause });
    }
  }
  return { modelKey: modelKey as ModelKey, body };
}
