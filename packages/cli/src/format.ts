/** Plain-text rendering for humans: aligned columns, dates, relative times, masked secrets. */

/** Columns separated by two spaces; the last column is not padded. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** `2025-03-04 12:30 UTC`; `-` for none. */
export function formatDate(value: string | Date | null | undefined): string {
  if (value === null || value === undefined) return '-';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const units: [name: string, seconds: number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** `3 minutes ago`, `in 2 days`, `just now`; `never` for none. */
export function relativeTime(value: string | Date | null | undefined, now: Date): string {
  if (value === null || value === undefined) return 'never';
  const date = typeof value === 'string' ? new Date(value) : value;
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  const magnitude = Math.abs(seconds);
  if (magnitude < 10) return 'just now';
  const [name, size] = units.find(([, size]) => magnitude >= size)!;
  const count = Math.floor(magnitude / size);
  const amount = `${count} ${name}${count === 1 ? '' : 's'}`;
  return seconds >= 0 ? `${amount} ago` : `in ${amount}`;
}

/** Enough to tell two tokens apart, never enough to use one: the prefix and the last 4 characters. */
export function maskToken(value: string): string {
  const prefix = /^[a-z]+_/.exec(value)?.[0] ?? '';
  return `${prefix}${'*'.repeat(8)}${value.slice(-4)}`;
}

/** Masks anything shaped like a Streamgate token (`sgs_`, `sgp_`) inside free text. */
export function redactTokens(text: string): string {
  return text.replace(/\b(sg[sp]_)[A-Za-z0-9._~+/=-]{8,}/g, '$1[redacted]');
}

/** `Key:  value` lines, the values aligned. */
export function renderFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(...fields.map(([key]) => key.length + 1));
  return fields.map(([key, value]) => `${`${key}:`.padEnd(width)}  ${value}`).join('\n');
}
