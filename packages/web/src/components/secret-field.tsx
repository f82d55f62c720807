import { ActionIcon, Code, Group, Text, Tooltip } from '@mantine/core';
import { IconEye, IconEyeOff } from '@tabler/icons-react';
import { useState } from 'react';
import { CopyAction } from './copy-action.tsx';

/** Shows only a recognisable tail until the user asks to see the whole secret. */
export function mask(hint: string, prefix = 'sgs_'): string {
  return `${prefix}${'•'.repeat(20)}${hint.slice(-4)}`;
}

type Props = {
  /** The secret when already known; else `load` fetches it on the first reveal or copy. */
  value?: string;
  hint: string;
  label: string;
  load?: () => Promise<string>;
};

export function SecretField({ value: given, hint, label, load }: Props) {
  const [revealed, setRevealed] = useState(false);
  const [loaded, setLoaded] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const value = given ?? loaded;
  const action = revealed ? `Hide ${label}` : `Reveal ${label}`;
  const obtain = async (): Promise<string> => {
    if (value !== null && value !== undefined) return value;
    if (!load) throw new Error('No value to show.');
    try {
      const fetched = await load();
      setLoaded(fetched);
      setFailed(null);
      return fetched;
    } catch (error) {
      setFailed(error instanceof Error ? error.message : 'Could not load the token.');
      throw error;
    }
  };
  const toggle = async () => {
    if (!revealed) await obtain().catch(() => undefined);
    setRevealed((r) => !r);
  };
  return (
    <Group gap={4} wrap="nowrap" align="center" style={{ minWidth: 0 }}>
      <Code
        data-testid={`${label.toLowerCase().replace(/\s+/g, '-')}-value`}
        aria-label={revealed ? `${label} value` : `${label} value, hidden`}
        style={{ overflowWrap: 'anywhere', flex: 1, minWidth: 0, fontSize: 13, padding: '6px 8px' }}
      >
        {revealed && value ? value : mask(hint)}
      </Code>
      <Tooltip label={action} withArrow>
        <ActionIcon
          variant="subtle"
          color="gray"
          onClick={() => void toggle()}
          aria-label={action}
          aria-pressed={revealed}
        >
          {revealed ? <IconEyeOff size={18} aria-hidden /> : <IconEye size={18} aria-hidden />}
        </ActionIcon>
      </Tooltip>
      <CopyAction value={value ?? undefined} getValue={obtain} label={`Copy ${label}`} />
      {failed ? (
        <Text size="xs" c="red" role="alert">
          {failed}
        </Text>
      ) : null}
    </Group>
  );
}
