import { Alert, Badge, Button, EmptyState, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { isRole, type Member, type Role, roles } from '@streamgate/contract';
import { IconInfoCircle, IconUsers } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useMembers, useSetMemberRole } from '../../api/members.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { PageLoader } from '../../components/page-loader.tsx';
import { TableScroll } from '../../components/table-scroll.tsx';
import { useSession } from '../auth/use-session.ts';
import { useCurrentWorkspace } from '../shell/use-current-workspace.ts';

const INHERIT = 'inherit';

function RoleCell({ ws, member, canChange }: { ws: string; member: Member; canChange: boolean }) {
  const setRole = useSetMemberRole(ws);
  const who = member.name || member.email;
  const change = (role: Role | null) =>
    setRole.mutate(
      { userId: member.userId, role },
      {
        onSuccess: () =>
          notifications.show({
            color: 'teal',
            title: 'Role changed',
            message:
              role === null
                ? `${who} is back on the organisation role (${member.organisationRole}).`
                : `${who} is now ${role} in ${ws}.`,
          }),
        onError: (error) =>
          notifications.show({
            color: 'red',
            title: 'Could not change the role',
            message: error instanceof Error ? error.message : String(error),
          }),
      },
    );

  return (
    <Group gap="xs" wrap="nowrap">
      <Select
        aria-label={`Workspace role of ${who}`}
        data={[
          { value: INHERIT, label: `Inherited (${member.organisationRole})` },
          ...roles.map((r) => ({ value: r, label: r })),
        ]}
        value={member.workspaceRole ?? INHERIT}
        onChange={(v) => {
          if (v === INHERIT) change(null);
          else if (isRole(v)) change(v);
        }}
        disabled={!canChange || setRole.isPending}
        allowDeselect={false}
        w={200}
        size="xs"
        comboboxProps={{ withinPortal: true }}
      />
      {canChange && member.workspaceRole !== null && (
        <Button variant="subtle" size="xs" onClick={() => change(null)} loading={setRole.isPending}>
          Reset to inherited
        </Button>
      )}
    </Group>
  );
}

export function MembersPage() {
  const { ws, role } = useCurrentWorkspace();
  useDocumentTitle(`Members · ${ws} · Streamgate`);
  const members = useMembers(ws);
  const me = useSession().data?.user;
  const canChange = role === 'Admin';

  let body: ReactNode;
  if (members.isPending) body = <PageLoader label="Loading members" />;
  else if (members.isError) {
    body = (
      <ApiErrorAlert
        error={members.error}
        onRetry={() => members.refetch()}
        forbidden={`Only Admins and Managers of this workspace can see its members. Your role here is ${role ?? 'unknown'}.`}
      />
    );
  } else if (members.data.length === 0) {
    body = (
      <EmptyState
        icon={<IconUsers size={28} aria-hidden />}
        withIndicatorBackground
        title="No members"
        description="An organisation Admin adds people with POST /users; they then appear here with their organisation role."
      />
    );
  } else {
    body = (
      <TableScroll minWidth={760} label={`Members of workspace ${ws}`}>
        <Table verticalSpacing="sm">
          <Table.Caption className="sr-only">Members of workspace {ws}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Person</Table.Th>
              <Table.Th>Organisation role</Table.Th>
              <Table.Th>Role in this workspace</Table.Th>
              <Table.Th>Effective</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.data.map((m) => (
              <Table.Tr key={m.userId} data-testid="member-row">
                <Table.Td data-label="Person">
                  <Text size="sm" fw={500}>
                    {m.name || m.email}
                    {m.userId === me?.id && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        (you)
                      </Text>
                    )}
                  </Text>
                  {m.name && (
                    <Text size="xs" c="dimmed">
                      {m.email}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td data-label="Organisation">{m.organisationRole}</Table.Td>
                <Table.Td data-label="Role here">
                  <RoleCell ws={ws} member={m} canChange={canChange} />
                </Table.Td>
                <Table.Td data-label="Effective">
                  <Badge variant="light" color={m.effectiveRole === 'None' ? 'gray' : 'blue'}>
                    {m.effectiveRole}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
    );
  }

  return (
    <>
      <PageHeader
        title="Members"
        description="Everyone has the role set for the organisation; a workspace role overrides it here (None blocks the workspace)."
      />
      <Stack>
        {!canChange && members.isSuccess && (
          <Alert color="gray" icon={<IconInfoCircle aria-hidden />}>
            Only Admins of this workspace can change roles. Your role here is {role ?? 'unknown'}.
          </Alert>
        )}
        {body}
      </Stack>
    </>
  );
}
