import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { keepsStoredSecret, MAX_VARIABLES, newRow, type VariableRow } from './variables.ts';

type Props = {
  rows: VariableRow[];
  onChange: (rows: VariableRow[]) => void;
  problems: Map<string, { name?: string; value?: string }>;
};

/**
 * Name, value and a secret toggle per variable. A secret's value is typed into a password field
 * and never comes back from the portal: an empty field keeps the stored value.
 */
export function VariablesEditor({ rows, onChange, problems }: Props) {
  const update = (key: string, patch: Partial<VariableRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const remove = (key: string) => onChange(rows.filter((r) => r.key !== key));

  return (
    <Stack gap="xs" role="group" aria-labelledby="variables-heading">
      <div>
        <Text size="sm" fw={500} id="variables-heading">
          Variables
        </Text>
        <Text size="xs" c="dimmed">
          Added to the platform's own (<code>Quix__Sdk__Token</code>, <code>Quix__Portal__Api</code>, …).
          Secret values are stored encrypted and never shown again.
        </Text>
      </div>
      {rows.length === 0 && (
        <Text size="sm" c="dimmed">
          No variables of its own.
        </Text>
      )}
      {rows.map((row, i) => {
        const p = problems.get(row.key);
        const n = i + 1;
        const valueLabel = `Value of variable ${n}`;
        return (
          <Group key={row.key} align="flex-start" gap="xs" wrap="nowrap" data-testid="variable-row">
            <TextInput
              aria-label={`Name of variable ${n}`}
              placeholder="NAME"
              value={row.name}
              onChange={(e) => update(row.key, { name: e.currentTarget.value })}
              error={p?.name}
              spellCheck={false}
              autoComplete="off"
              style={{ flex: '0 1 38%' }}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            {row.secret ? (
              <PasswordInput
                aria-label={valueLabel}
                placeholder={keepsStoredSecret(row) ? 'unchanged (stored secret)' : 'secret value'}
                value={row.value}
                onChange={(e) => update(row.key, { value: e.currentTarget.value })}
                error={p?.value}
                autoComplete="new-password"
                style={{ flex: 1, minWidth: 0 }}
                visibilityToggleButtonProps={{ 'aria-label': `Show or hide value of variable ${n}` }}
              />
            ) : (
              <TextInput
                aria-label={valueLabel}
                placeholder="value"
                value={row.value}
                onChange={(e) => update(row.key, { value: e.currentTarget.value })}
                error={p?.value}
                spellCheck={false}
                autoComplete="off"
                style={{ flex: 1, minWidth: 0 }}
              />
            )}
            <Checkbox
              label="Secret"
              checked={row.secret}
              onChange={(e) => update(row.key, { secret: e.currentTarget.checked })}
              mt={8}
              aria-label={`Variable ${n} is secret`}
            />
            <Tooltip label={`Remove variable ${n}`} withArrow>
              <ActionIcon
                variant="subtle"
                color="red"
                mt={4}
                onClick={() => remove(row.key)}
                aria-label={`Remove variable ${n}`}
              >
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Tooltip>
          </Group>
        );
      })}
      <Group>
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={() => onChange([...rows, newRow()])}
          disabled={rows.length >= MAX_VARIABLES}
        >
          Add variable
        </Button>
      </Group>
    </Stack>
  );
}
