import { ActionIcon, Code, Group, Tooltip } from '@mantine/core';
import { IconEye, IconEyeOff } from '@tabler/icons-react';
import { useState } from 'react';
import { CopyAction } from './copy-action.tsx';

/** Shows only a recognisable tail until the user asks to see the whole secret. */
export function mask(value: string): string {
  const prefix = value.match(/^[a-z]+_/)?.[0] ?? '';
  return `${prefix}${'•'.repeat(20)}${value.slice(-4)}`;
}

type Props = { value: string; label: string };

export function SecretField({ value, label }: Props) {
  const [revealed, setRevealed] = useState(false);
  const action = revealed ? `Hide ${label}` : `Reveal ${label}`;
  return (
    <Group gap={4} wrap="nowrap" align="center" style={{ minWidth: 0 }}>
      <Code
        data-testid={`${label.toLowerCase().replace(/\s+/g, '-')}-value`}
        aria-label={revealed ? `${label} value` : `${label} value, hidden`}
        style={{ overflowWrap: 'anywhere', flex: 1, minWidth: 0, fontSize: 13, padding: '6px 8px' }}
      >
        {revealed ? value : mask(value)}
      </Code>
      <Tooltip label={action} withArrow>
        <ActionIcon
          variant="subtle"
          color="gray"
          onClick={() => setRevealed((r) => !r)}
          aria-label={action}
          aria-pressed={revealed}
        >
          {revealed ? <IconEyeOff size={18} aria-hidden /> : <IconEye size={18} aria-hidden />}
        </ActionIcon>
      </Tooltip>
      <CopyAction value={value} label={`Copy ${label}`} />
    </Group>
  );
}
