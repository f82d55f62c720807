import { Box, Code } from '@mantine/core';
import { CopyAction } from './copy-action.tsx';

/** A block of text to paste somewhere else (an .env file, a code sample), with a copy button. */
export function CopyBlock({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <Box pos="relative">
      <Code
        block
        data-testid={testId}
        aria-label={label}
        style={{ paddingRight: 44, fontSize: 13, whiteSpace: 'pre' }}
      >
        {value}
      </Code>
      <Box pos="absolute" top={6} right={6}>
        <CopyAction value={value} label={`Copy ${label}`} />
      </Box>
    </Box>
  );
}
