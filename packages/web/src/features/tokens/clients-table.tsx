import { Badge, Group, List, Text } from '@mantine/core';
import type { StreamingToken } from '@streamgate/contract';
import { RelativeTime } from '../../components/relative-time.tsx';

/** Who used a token: enough to find the service (deployment id, user agent, address). */
export function ClientsTable({
  clients,
  caption,
}: {
  clients: StreamingToken['recentClients'];
  caption: string;
}) {
  if (clients.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No client has used it yet.
      </Text>
    );
  }
  return (
    <List listStyleType="none" spacing="xs" aria-label={caption} data-testid="clients">
      {clients.map((c) => (
        <List.Item key={`${c.userAgent}|${c.address}|${c.deploymentId ?? ''}`} data-testid="client">
          <Group gap={6} wrap="nowrap">
            {c.deploymentId ? (
              <Badge variant="light" color="gray" tt="none" style={{ flexShrink: 0 }}>
                {c.deploymentId}
              </Badge>
            ) : null}
            <Text size="sm" truncate title={c.userAgent} style={{ minWidth: 0 }}>
              {c.userAgent || 'unknown client'}
            </Text>
          </Group>
          <Text size="xs" c="dimmed">
            from {c.address || 'unknown address'} · <RelativeTime value={c.lastUsedAt} />
          </Text>
        </List.Item>
      ))}
    </List>
  );
}
