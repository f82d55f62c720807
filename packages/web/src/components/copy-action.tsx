import { ActionIcon, Button, Tooltip } from '@mantine/core';
import { useClipboard } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useEffect } from 'react';

type Props = {
  value?: string;
  /** Fetches the value on the first copy when it is not known yet. */
  getValue?: () => Promise<string>;
  label: string;
  variant?: 'icon' | 'button';
  disabled?: boolean;
};

/** Copies a value to the clipboard and says so; says so too when the browser refuses. */
export function CopyAction({ value, getValue, label, variant = 'icon', disabled }: Props) {
  const clipboard = useClipboard({ timeout: 2000 });
  const copy = async () => {
    const text = value ?? (getValue ? await getValue().catch(() => null) : null);
    if (text !== null) clipboard.copy(text);
  };

  useEffect(() => {
    if (clipboard.error) {
      notifications.show({
        color: 'red',
        title: 'Could not copy',
        message: 'The browser refused access to the clipboard. Select the text and copy it by hand.',
      });
    }
  }, [clipboard.error]);

  const copied = clipboard.copied;
  if (variant === 'button') {
    return (
      <Button
        variant="light"
        size="xs"
        disabled={disabled}
        color={copied ? 'teal' : undefined}
        leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
        onClick={() => void copy()}
        aria-label={label}
      >
        {copied ? 'Copied' : 'Copy'}
      </Button>
    );
  }
  return (
    <Tooltip label={copied ? 'Copied' : label} withArrow>
      <ActionIcon
        variant="subtle"
        color={copied ? 'teal' : 'gray'}
        disabled={disabled}
        onClick={() => void copy()}
        aria-label={label}
      >
        {copied ? <IconCheck size={18} aria-hidden /> : <IconCopy size={18} aria-hidden />}
      </ActionIcon>
    </Tooltip>
  );
}
