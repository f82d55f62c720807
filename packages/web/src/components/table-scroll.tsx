import { Box, Table } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';

/**
 * A table that fits any screen. On phones each row becomes a stacked block whose cells are
 * labelled by their `data-label` (see styles.css); elsewhere a table that is too wide scrolls
 * sideways in a focusable, named region, so keyboard users can scroll it too.
 */
export function TableScroll({
  minWidth,
  label,
  children,
}: {
  minWidth: number;
  label: string;
  children: ReactNode;
}) {
  const phone = useMediaQuery('(max-width: 47.99em)');
  if (phone) {
    return (
      <Box className="stack-on-phone" role="region" aria-label={label}>
        {children}
      </Box>
    );
  }
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native" tabIndex={0} role="region" aria-label={label}>
      {children}
    </Table.ScrollContainer>
  );
}
