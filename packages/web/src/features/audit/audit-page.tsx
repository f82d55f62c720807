import { Button, Code, EmptyState, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { type AuditEntry, auditActions } from '@streamgate/contract';
import { IconHistory } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useAudit } from '../../api/audit.ts';
import { useWorkspaces } from '../../api/workspaces.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { PageLoader } from '../../components/page-loader.tsx';
import { formatDateTime } from '../../components/relative-time.tsx';
import { TableScroll } from '../../components/table-scroll.tsx';
import { useCurrentWorkspace } from '../shell/use-current-workspace.ts';

const ALL = '*';

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  return Object.entries(value)
    .map(([k, v]) => `${k} ${formatValue(v)}`)
    .join(', ');
}

/** Details as "key: value" lines rather than raw JSON. */
function Details({ details }: { details: unknown }) {
  if (details === null || details === undefined || typeof details !== 'object') {
    return details ? <Text size="xs">{String(details)}</Text> : null;
  }
  const entries = Object.entries(details);
  if (entries.length === 0) return null;
  return (
    <Stack gap={0}>
      {entries.map(([key, value]) => (
        <Text key={key} size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {key}: {formatValue(value)}
        </Text>
      ))}
    </Stack>
  );
}

function actionColor(action: string): string {
  if (action.endsWith('failed') || action.endsWith('delete') || action.endsWith('revoke')) return 'red.9';
  if (action.startsWith('streaming_tokens') || action.startsWith('rotation_run'))
    return 'var(--mantine-color-orange-light-color)';
  return 'blue.9';
}

function Row({ entry }: { entry: AuditEntry }) {
  return (
    <Table.Tr data-testid="audit-row" data-action={entry.action} data-id={entry.id}>
      <Table.Td data-label="When" style={{ whiteSpace: 'nowrap' }}>
        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
      </Table.Td>
      <Table.Td data-label="Actor">
        <Text size="sm">{entry.actor.label}</Text>
        <Text size="xs" c="dimmed">
          {entry.actor.kind}
        </Text>
      </Table.Td>
      <Table.Td data-label="Action">
        <Text
          size="sm"
          ff="monospace"
          fw={600}
          c={actionColor(entry.action)}
          style={{ whiteSpace: 'nowrap' }}
        >
          {entry.action}
        </Text>
      </Table.Td>
      <Table.Td data-label="Workspace">{entry.workspaceId ?? '—'}</Table.Td>
      <Table.Td data-label="Target">
        {entry.target && (
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {entry.target}
          </Text>
        )}
        <Details details={entry.details} />
      </Table.Td>
      <Table.Td data-label="Address">{entry.address ? <Code fz="xs">{entry.address}</Code> : '—'}</Table.Td>
    </Table.Tr>
  );
}

export function AuditPage() {
  const { ws, role } = useCurrentWorkspace();
  useDocumentTitle(`Audit log · ${ws} · Streamgate`);
  const [params, setParams] = useSearchParams();
  const workspaces = useWorkspaces();

  // Filters live in the address so that a filtered view can be shared.
  const workspaceFilter = params.get('workspace') ?? ws;
  // An action the portal does not know (an old or mistyped link) filters nothing.
  const actionFilter = auditActions.find((a) => a === params.get('action'));
  const actorInput = params.get('actor') ?? '';
  const [actor] = useDebouncedValue(actorInput.trim(), 300);

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '' && key !== 'workspace') next.delete(key);
    else next.set(key, value);
    setParams(next, { replace: true });
  };

  const audit = useAudit({
    workspaceId: workspaceFilter === ALL ? undefined : workspaceFilter,
    actor: actor || undefined,
    action: actionFilter,
  });

  const entries = audit.data?.pages.flatMap((p) => p.entries) ?? [];

  let body: ReactNode;
  if (audit.isPending) body = <PageLoader label="Loading audit log" />;
  else if (audit.isError && entries.length === 0 && !audit.isFetchNextPageError) {
    body = (
      <ApiErrorAlert
        error={audit.error}
        onRetry={() => audit.refetch()}
        forbidden={`Only Admins can read the audit log (an Admin of a workspace sees that workspace's entries). Your role here is ${role ?? 'unknown'}.`}
      />
    );
  } else if (entries.length === 0) {
    body = (
      <EmptyState
        icon={<IconHistory size={28} aria-hidden />}
        withIndicatorBackground
        title="No entries match"
        description="Nothing was recorded for these filters. Widen them: pick all workspaces, clear the actor or the action."
      />
    );
  } else {
    body = (
      <>
        <TableScroll minWidth={900} label="Audit entries, newest first">
          <Table verticalSpacing="xs" striped>
            <Table.Caption className="sr-only">Audit entries, newest first</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Actor</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Workspace</Table.Th>
                <Table.Th>Target and details</Table.Th>
                <Table.Th>Address</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((entry) => (
                <Row key={entry.id} entry={entry} />
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
        <Group justify="center" mt="md">
          {audit.hasNextPage ? (
            <Button
              variant="default"
              onClick={() => audit.fetchNextPage()}
              loading={audit.isFetchingNextPage}
            >
              Load older entries
            </Button>
          ) : (
            <Text size="sm" c="dimmed">
              That is the oldest entry.
            </Text>
          )}
        </Group>
        {audit.error && <ApiErrorAlert error={audit.error} onRetry={() => audit.fetchNextPage()} />}
      </>
    );
  }

  return (
    <>
      <PageHeader title="Audit log" description="Who did what, and who looked at streaming token values." />
      <Group mb="lg" align="flex-end" gap="sm">
        <Select
          label="Workspace"
          data={[
            { value: ALL, label: 'All workspaces' },
            ...(workspaces.data ?? []).map((w) => ({ value: w.workspaceId, label: w.workspaceId })),
          ]}
          value={workspaceFilter}
          onChange={(v) => setFilter('workspace', v ?? ALL)}
          allowDeselect={false}
          w={{ base: '100%', xs: 200 }}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          label="Actor"
          placeholder="email or id"
          value={actorInput}
          onChange={(e) => setFilter('actor', e.currentTarget.value)}
          w={{ base: '100%', xs: 220 }}
        />
        <Select
          label="Action"
          placeholder="Any action"
          data={[...auditActions]}
          value={actionFilter ?? null}
          onChange={(v) => setFilter('action', v ?? '')}
          clearable
          searchable
          w={{ base: '100%', xs: 240 }}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      {body}
    </>
  );
}
