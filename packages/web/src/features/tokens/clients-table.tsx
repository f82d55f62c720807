import { Code, Table, Text } from '@mantine/core';
import type { RecentClient } from '../../api/types.ts';
import { RelativeTime } from '../../components/relative-time.tsx';

/** Who used a token: enough to find the service (user agent, address, deployment id). */
export function ClientsTable({ clients, caption }: { clients: RecentClient[]; caption: string }) {
  if (clients.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No client has used it yet.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table striped withTableBorder fz="sm" verticalSpacing={6}>
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Client</Table.Th>
            <Table.Th>Address</Table.Th>
            <Table.Th>Deployment</Table.Th>
            <Table.Th>Last used</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {clients.map((c) => (
            <Table.Tr key={`${c.userAgent}|${c.address}|${c.deploymentId ?? ''}`}>
              <Table.Td maw={260}>
                <Text size="sm" truncate title={c.userAgent}>
                  {c.userAgent || 'unknown'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Code>{c.address}</Code>
              </Table.Td>
              <Table.Td>
                {c.deploymentId ? (
                  <Code>{c.deploymentId}</Code>
                ) : (
                  <Text size="sm" c="dimmed">
                    none
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <RelativeTime value={c.lastUsedAt} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
