import { Tooltip } from '@mantine/core';
import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';
import { useEffect, useState } from 'react';

dayjs.extend(relativeTime);

export function formatDateTime(iso: string): string {
  return dayjs(iso).format('D MMM YYYY, HH:mm');
}

/** Re-renders every half minute so that "a few seconds ago" does not stay on screen for an hour. */
function useTicker(ms: number): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(id);
  }, [ms]);
}

/** "3 minutes ago", with the exact time on hover and in the markup. */
export function RelativeTime({
  value,
  never = 'never',
}: {
  value: string | null | undefined;
  never?: string;
}) {
  useTicker(30_000);
  if (!value) return <span>{never}</span>;
  const absolute = formatDateTime(value);
  return (
    <Tooltip label={absolute} withArrow>
      <time dateTime={value} title={absolute}>
        {dayjs(value).fromNow()}
      </time>
    </Tooltip>
  );
}

/** A calendar date, e.g. "29 Nov 2026". */
export function DateText({ value }: { value: string }) {
  return (
    <time dateTime={value} title={formatDateTime(value)}>
      {dayjs(value).format('D MMM YYYY')}
    </time>
  );
}
