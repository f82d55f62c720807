import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { StreamingToken } from '../../api/types.ts';
import { formatDateTime, RelativeTime } from '../../components/relative-time.tsx';
import { SecretField } from '../../components/secret-field.tsx';
import { ClientsTable } from './clients-table.tsx';

type Props = { label: 'Token 1' | 'Token 2'; token: StreamingToken; description: string };

export function StreamingTokenCard({ label, token, description }: Props) {
  const headingId = `${label.replace(' ', '-').toLowerCase()}-heading`;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Group justify="space-between" gap="xs">
          <Title order={2} fz="h4" id={headingId}>
            {label}
          </Title>
          {token.lastUsedAt ? (
            <Badge variant="light" color="blue">
              In use
            </Badge>
          ) : (
            <Badge variant="light" color="gray">
              Never used
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
        {token.value !== undefined ? (
          <SecretField value={token.value} label={label} />
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
