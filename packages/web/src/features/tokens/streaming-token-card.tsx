import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { StreamingToken } from '../../api/types.ts';
import { formatDateTime, RelativeTime } from '../../components/relative-time.tsx';
import { SecretField } from '../../components/secret-field.tsx';
import { ClientsTable } from './clients-table.tsx';
import { type TokenUsage, usageOf } from './token-usage.ts';

const USAGE_BADGES: Record<TokenUsage, { label: string; color: string }> = {
  active: { label: 'In use', color: 'blue' },
  recent: { label: 'Used this week', color: 'orange' },
  idle: { label: 'Not used lately', color: 'gray' },
  never: { label: 'Never used', color: 'gray' },
};

function UsageBadge({ usage }: { usage: TokenUsage }) {
  const { label, color } = USAGE_BADGES[usage];
  return (
    <Badge variant="light" color={color}>
      {label}
    </Badge>
  );
}

type Props = {
  label: 'Token 1' | 'Token 2';
  token: StreamingToken;
  description: string;
  /** Fetches the value when the person reveals or copies it; absent for roles that may not. */
  loadValue?: () => Promise<string>;
};

export function StreamingTokenCard({ label, token, description, loadValue }: Props) {
  const headingId = `${label.replace(' ', '-').toLowerCase()}-heading`;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Group justify="space-between" gap="xs">
          <Title order={2} fz="h4" id={headingId}>
            {label}
          </Title>
          <UsageBadge usage={usageOf(token)} />
        </Group>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
        {token.value !== undefined || loadValue ? (
          <SecretField value={token.value} hint={token.hint} load={loadValue} label={label} />
        ) : (
          <Text size="sm" data-testid={`${label.replace(' ', '-').toLowerCase()}-hidden`}>
            Value hidden for your role.
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          <div>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              Created
            </Text>
            <Text size="sm">
              <time dateTime={token.createdAt}>{formatDateTime(token.createdAt)}</time>
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              Last used
            </Text>
            <Text size="sm">
              <RelativeTime value={token.lastUsedAt} />
            </Text>
          </div>
        </SimpleGrid>
        <div>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={6}>
            Recent clients
          </Text>
          <ClientsTable clients={token.recentClients} caption={`Clients that used ${label} recently`} />
        </div>
      </Stack>
    </Card>
  );
}
