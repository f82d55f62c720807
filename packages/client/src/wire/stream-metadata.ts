// The stream-level models: StreamProperties, StreamEnd, ParameterDefinitions, EventDefinitions.
import { SerializationError } from '../errors.ts';

export interface StreamPropertiesData {
  name: string | null;
  location: string | null;
  metadata: Record<string, string>;
  parents: string[];
  timeOfRecording: Date | null;
}

export const streamEndTypes = ['Closed', 'Aborted', 'Terminated'] as const;
export type StreamEndType = (typeof streamEndTypes)[number];

export interface ParameterDefinition {
  id: string;
  name?: string;
  description?: string;
  minimumValue?: number;
  maximumValue?: number;
  unit?: string;
  format?: string;
  customProperties?: string;
  location?: string;
}

export const eventLevels = ['Trace', 'Debug', 'Information', 'Warning', 'Error', 'Critical'] as const;
export type EventLevel = (typeof eventLevels)[number];

export interface EventDefinition {
  id: string;
  name?: string;
  description?: string;
  customProperties?: string;
  level?: EventLevel;
  location?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export function encodeStreamProperties(p: StreamPropertiesData): string {
  return JSON.stringify({
    Name: p.name,
    Location: p.location,
    Metadata: p.metadata,
    Parents: p.parents,
    TimeOfRecording: p.timeOfRecording ? p.timeOfRecording.toISOString() : null,
  });
}

export function decodeStreamProperties(body: unknown): StreamPropertiesData {
  if (!isRecord(body)) throw new SerializationError('StreamProperties must be an object');
  const metadata: Record<string, string> = Object.create(null);
  if (isRecord(body.Metadata)) {
    for (const [k, v] of Object.entries(body.Metadata)) if (typeof v === 'string') metadata[k] = v;
  }
  const recorded = str(body.TimeOfRecording);
  const time = recorded ? new Date(recorded) : null;
  return {
    name: str(body.Name),
    location: str(body.Location),
    metadata,
    parents: Array.isArray(body.Parents)
      ? body.Parents.filter((p): p is string => typeof p === 'string')
      : [],
    timeOfRecording: time && !Number.isNaN(time.getTime()) ? time : null,
  };
}

export function encodeStreamEnd(type: StreamEndType): string {
  return `{"StreamEndType":${streamEndTypes.indexOf(type)}}`;
}

export function decodeStreamEnd(body: unknown): StreamEndType {
  const raw = isRecord(body) ? body.StreamEndType : undefined;
  if (typeof raw === 'number') return streamEndTypes[raw] ?? 'Closed';
  if (typeof raw === 'string' && (streamEndTypes as readonly string[]).includes(raw))
    return raw as StreamEndType;
  return 'Closed';
}

export function encodeParameterDefinitions(definitions: readonly ParameterDefinition[]): string {
  return JSON.stringify({
    Parameters: definitions.map((d) => ({
      Id: d.id,
      Name: d.name ?? d.id,
      Description: d.description ?? null,
      MinimumValue: d.minimumValue ?? null,
      MaximumValue: d.maximumValue ?? null,
      Unit: d.unit ?? null,
      Format: d.format ?? null,
      CustomProperties: d.customProperties ?? null,
      Location: d.location ?? '/',
    })),
    ParameterGroups: [],
  });
}

function flattenGroups(
  groups: unknown,
  childKey: string,
  location: string,
  into: Record<string, unknown>[],
): void {
  if (!Array.isArray(groups)) return;
  for (const group of groups) {
    if (!isRecord(group)) continue;
    const here = `${location.replace(/\/$/, '')}/${str(group.Name) ?? ''}`;
    for (const item of Array.isArray(group[childKey]) ? group[childKey] : []) {
      if (isRecord(item)) into.push({ ...item, Location: here });
    }
    flattenGroups(group.ChildGroups, childKey, here, into);
  }
}

export function decodeParameterDefinitions(body: unknown): ParameterDefinition[] {
  if (!isRecord(body)) throw new SerializationError('ParameterDefinitions must be an object');
  const items: Record<string, unknown>[] = [];
  for (const p of Array.isArray(body.Parameters) ? body.Parameters : []) if (isRecord(p)) items.push(p);
  flattenGroups(body.ParameterGroups, 'Parameters', '', items);
  return items.map((p) => ({
    id: String(p.Id ?? ''),
    ...(str(p.Name) !== null && { name: str(p.Name)! }),
    ...(str(p.Description) !== null && { description: str(p.Description)! }),
    ...(typeof p.MinimumValue === 'number' && { minimumValue: p.MinimumValue }),
    ...(typeof p.MaximumValue === 'number' && { maximumValue: p.MaximumValue }),
    ...(str(p.Unit) !== null && { unit: str(p.Unit)! }),
    ...(str(p.Format) !== null && { format: str(p.Format)! }),
    ...(str(p.CustomProperties) !== null && { customProperties: str(p.CustomProperties)! }),
    ...(str(p.Location) !== null && { location: str(p.Location)! }),
  }));
}

export function encodeEventDefinitions(definitions: readonly EventDefinition[]): string {
  return JSON.stringify({
    Events: definitions.map((d) => ({
      Id: d.id,
      Name: d.name ?? d.id,
      Description: d.description ?? null,
      CustomProperties: d.customProperties ?? null,
      Level: eventLevels.indexOf(d.level ?? 'Information'),
      Location: d.location ?? '/',
    })),
    EventGroups: [],
  });
}

export function decodeEventDefinitions(body: unknown): EventDefinition[] {
  if (!isRecord(body)) throw new SerializationError('EventDefinitions must be an object');
  const items: Record<string, unknown>[] = [];
  for (const e of Array.isArray(body.Events) ? body.Events : []) if (isRecord(e)) items.push(e);
  flattenGroups(body.EventGroups, 'Events', '', items);
  return items.map((e) => {
    const level =
      typeof e.Level === 'number'
        ? eventLevels[e.Level]
        : typeof e.Level === 'string'
          ? (e.Level as EventLevel)
          : undefined;
    return {
      id: String(e.Id ?? ''),
      ...(str(e.Name) !== null && { name: str(e.Name)! }),
      ...(str(e.Description) !== null && { description: str(e.Description)! }),
      ...(str(e.CustomProperties) !== null && { customProperties: str(e.CustomProperties)! }),
      ...(level !== undefined && { level }),
      ...(str(e.Location) !== null && { location: str(e.Location)! }),
    };
  });
}
