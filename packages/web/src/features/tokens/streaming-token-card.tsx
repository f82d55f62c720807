import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { RotationPlan, StreamingToken } from '@streamgate/contract';
import { formatDateTime, RelativeTime } from '../../components/relative-time.tsx';
import { SecretField } from '../../components/secret-field.tsx';
import { ClientsTable } from './clients-table.tsx';

/** The portal's verdict, for Token 1 (the one a rotation deactivates): shown, never computed here. */
function VerdictBadge({ verdict }: { verdict: RotationPlan['verdict'] }) {
  return (
    <Badge variant="light" color={verdict === 'in-use' ? 'blue' : 'gray'} data-testid="token-verdict">
      {verdict === 'in-use' ? 'In use' : 'Not in use'}
    </Badge>
  );
}

type Props = {
  label: 'Token 1' | 'Token 2';
  token: StreamingToken;
  description: string;
  /** Fetches the value when the person reveals or copies it; absent for roles that may not. */
  loadValue?: () => Promise<string>;
  /** The portal's verdict on this token, when there is one (Token 1). */
  verdict?: { verdict: RotationPlan['verdict']; summary: string };
};

export function StreamingTokenCard({ label, token, description, loadValue, verdict }: Props) {
  const headingId = `${label.replace(' ', '-').toLowerCase()}-heading`;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Group justify="space-between" gap="xs">
          <Title order={2} fz="h4" id={headingId}>
            {label}
          </Title>
          {verdict && <VerdictBadge verdict={verdict.verdict} />}
        </Group>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
        {verdict && <Text size="sm">{verdict.summary}</Text>}
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
