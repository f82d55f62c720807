import { Badge, Button, EmptyState, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { PersonalAccessToken } from '@streamgate/contract';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { usePats } from '../../api/pats.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageLoader } from '../../components/page-loader.tsx';
import { DateText, RelativeTime } from '../../components/relative-time.tsx';
import { TableScroll } from '../../components/table-scroll.tsx';
import { CreatePatDialog } from './create-pat-dialog.tsx';
import { RevokePatDialog } from './revoke-pat-dialog.tsx';

function Scope({ pat }: { pat: PersonalAccessToken }) {
  return (
    <Group gap={4}>
      {pat.workspaces ? (
        pat.workspaces.map((w) => (
          <Badge key={w} variant="outline" color="gray" tt="none">
            {w}
          </Badge>
        ))
      ) : (
        <Text size="sm">All workspaces</Text>
      )}
      {pat.readOnly && (
        <Badge variant="light" color="blue">
          Read-only
        </Badge>
      )}
    </Group>
  );
}

function isActive(pat: PersonalAccessToken): boolean {
  return !pat.revokedAt && Date.parse(pat.expiresAt) > Date.now();
}

function Expiry({ pat }: { pat: PersonalAccessToken }) {
  if (pat.revokedAt) {
    return (
      <Badge color="gray" variant="light" title={`Revoked ${pat.revokedAt}`}>
        Revoked
      </Badge>
    );
  }
  if (Date.parse(pat.expiresAt) <= Date.now()) {
    return (
      <Badge color="red" variant="light">
        Expired
      </Badge>
    );
  }
  return <DateText value={pat.expiresAt} />;
}

/** Working tokens first (newest first), then revoked and expired ones. */
function ordered(pats: PersonalAccessToken[]): PersonalAccessToken[] {
  return [...pats].sort(
    (a, b) => Number(isActive(b)) - Number(isActive(a)) || Date.parse(b.createdAt) - Date.parse(a.createdAt),
  );
}

export function PersonalTokensTab() {
  const pats = usePats();
  const [creating, { open, close }] = useDisclosure(false);
  const [revoking, setRevoking] = useState<PersonalAccessToken | null>(null);

  const generate = (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
      Generate token
    </Button>
  );

  let body: ReactNode;
  if (pats.isPending) body = <PageLoader label="Loading your tokens" />;
  else if (pats.isError) body = <ApiErrorAlert error={pats.error} onRetry={() => pats.refetch()} />;
  else if (pats.data.length === 0) {
    body = (
      <EmptyState
        icon={<IconKey size={28} aria-hidden />}
        withIndicatorBackground
        title="No personal access tokens yet"
        description="Generate one to call the Portal API from scripts or the CLI, narrowed to some workspaces or read-only if that is all the script needs."
      >
        <EmptyState.Actions>{generate}</EmptyState.Actions>
      </EmptyState>
    );
  } else {
    body = (
      <TableScroll minWidth={720} label="Your personal access tokens">
        <Table verticalSpacing="sm" highlightOnHover>
          <Table.Caption className="sr-only">Your personal access tokens</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Scope</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ordered(pats.data).map((pat) => (
              <Table.Tr
                key={pat.id}
                data-testid="pat-row"
                data-active={isActive(pat)}
                c={isActive(pat) ? undefined : 'dimmed'}
              >
                <Table.Td data-label="Name" fw={500}>
                  {pat.name}
                </Table.Td>
                <Table.Td data-label="Scope">
                  <Scope pat={pat} />
                </Table.Td>
                <Table.Td data-label="Created">
                  <DateText value={pat.createdAt} />
                </Table.Td>
                <Table.Td data-label="Expires">
                  <Expiry pat={pat} />
                </Table.Td>
                <Table.Td data-label="Last used">
                  <RelativeTime value={pat.lastUsedAt} />
                </Table.Td>
                <Table.Td ta="right">
                  {!pat.revokedAt && (
                    <Button
                      variant="subtle"
                      color="red"
                      size="xs"
                      onClick={() => setRevoking(pat)}
                      aria-label={`Revoke ${pat.name}`}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
    );
  }

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" maw={640}>
          Personal access tokens let your scripts call the Portal API as you, with at most your roles. They
          expire (at most one year ahead) and you can revoke them at any time.
        </Text>
        {pats.isSuccess && pats.data.length > 0 && generate}
      </Group>
      {body}
      <CreatePatDialog opened={creating} onClose={close} />
      <RevokePatDialog pat={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}
