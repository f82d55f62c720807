export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return 'default';
  if (minutes < 0) return 'forever';
  if (minutes % 1440 === 0) return `${minutes / 1440} ${minutes === 1440 ? 'day' : 'days'}`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'default';
  if (bytes < 0) return 'unlimited';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

export const CLEANUP_LABELS = {
  Delete: 'Delete',
  Compact: 'Compact',
  DeleteAndCompact: 'Delete and compact',
} as const;
