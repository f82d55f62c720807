import dayjs from 'dayjs';

export const EXPIRY_PRESETS = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'custom', label: 'Custom date' },
] as const;

export type ExpiryChoice = (typeof EXPIRY_PRESETS)[number]['value'];

/** The latest date a custom expiry may fall on: its end of day must stay within one year. */
export function maxCustomDate(now: Date = new Date()): Date {
  return dayjs(now).add(364, 'day').endOf('day').toDate();
}

/**
 * The expiry instant to send. Presets count from now; a custom date expires at the end of that
 * day, local time. Null when a custom date is missing or out of range.
 */
export function expiryFor(
  choice: ExpiryChoice,
  customDate: string | null,
  now: Date = new Date(),
): string | null {
  if (choice !== 'custom') return dayjs(now).add(Number(choice), 'day').toISOString();
  if (!customDate) return null;
  const end = dayjs(customDate).endOf('day');
  if (!end.isValid() || end.isBefore(now) || end.isAfter(maxCustomDate(now))) return null;
  return end.toISOString();
}
