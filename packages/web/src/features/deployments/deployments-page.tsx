import {
  ActionIcon,
  Button,
  Code,
  EmptyState,
  Group,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { Deployment, DeploymentAction } from '@streamgate/contract';
import {
  IconFileText,
  IconPencil,
  IconPlayerPlay,
  IconPlayerStop,
  IconPlus,
  IconRefresh,
  IconRocket,
  IconTrash,
} from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { useDeploymentAction, useDeployments } from '../../api/deployments.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { PageLoader } from '../../components/page-loader.tsx';
import { TableScroll } from '../../components/table-scroll.tsx';
import { roleAtLeast, useCurrentWorkspace } from '../shell/use-current-workspace.ts';
import { formatCommandLine } from './command-line.ts';
import { DeleteDeploymentDialog } from './delete-deployment-dialog.tsx';
import { DeploymentDialog } from './deployment-dialog.tsx';
import { LastExit, StatusBadge, TokenLabel } from './deployment-status.tsx';

/** The program without its directory: the list shows what runs; the full path is in the title. */
function programName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

type Dialog = { kind: 'create' } | { kind: 'edit' | 'delete'; deployment: Deployment } | null;

const ACTION_LABELS: Record<DeploymentAction, { label: string; done: string; icon: ReactNode }> = {
  start: { label: 'Start', done: 'is starting', icon: <IconPlayerPlay size={14} aria-hidden /> },
  stop: { label: 'Stop', done: 'is stopping', icon: <IconPlayerStop size={14} aria-hidden /> },
  restart: { label: 'Restart', done: 'is restarting', icon: <IconRefresh size={14} aria-hidden /> },
};

function Actions({
  ws,
  deployment,
  canOperate,
  canManage,
  onEdit,
  onDelete,
}: {
  ws: string;
  deployment: Deployment;
  canOperate: boolean;
  canManage: boolean;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const action = useDeploymentAction(ws);
  const wanted: DeploymentAction[] = deployment.desiredState === 'Running' ? ['stop', 'restart'] : ['start'];
  const run = (which: DeploymentAction) =>
    action.mutate(
      { id: deployment.deploymentId, action: which },
      {
        onSuccess: (d) =>
          notifications.show({ color: 'teal', message: `${d.name} ${ACTION_LABELS[which].done}.` }),
        onError: (error) =>
          notifications.show({
            color: 'red',
            title: `Could not ${which} ${deployment.name}`,
            message: error.message,
          }),
      },
    );
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      {canOperate &&
        wanted.map((which) => (
          <Button
            key={which}
            size="compact-sm"
            variant="light"
            color={which === 'stop' ? 'red' : undefined}
            leftSection={ACTION_LABELS[which].icon}
            loading={action.isPending && action.variables?.action === which}
            disabled={action.isPending}
            onClick={() => run(which)}
            aria-label={`${ACTION_LABELS[which].label} ${deployment.name}`}
          >
            {ACTION_LABELS[which].label}
          </Button>
        ))}
      {canOperate && (
        <Button
          component={Link}
          to={`${deployment.deploymentId}/logs`}
          size="compact-sm"
          variant="subtle"
          leftSection={<IconFileText size={14} aria-hidden />}
          aria-label={`Logs of ${deployment.name}`}
        >
          Logs
        </Button>
      )}
      {canManage && (
        <>
          <Tooltip label="Edit" withArrow>
            <ActionIcon variant="subtle" color="gray" onClick={onEdit} aria-label={`Edit ${deployment.name}`}>
              <IconPencil size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Delete" withArrow>
            <ActionIcon
              variant="subtle"
              color="red"
              onClick={onDelete}
              aria-label={`Delete ${deployment.name}`}
            >
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
        </>
      )}
    </Group>
  );
}

export function DeploymentsPage() {
  const { ws, role } = useCurrentWorkspace();
  useDocumentTitle(`Deployments · ${ws} · Streamgate`);
  const deployments = useDeployments(ws);
  const [dialog, setDialog] = useState<Dialog>(null);
  const canOperate = roleAtLeast(role, 'Editor');
  const canManage = roleAtLeast(role, 'Manager');

  const createButton = canManage ? (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDialog({ kind: 'create' })}>
      Create deployment
    </Button>
  ) : undefined;

  let body: ReactNode;
  if (deployments.isPending) body = <PageLoader label="Loading deployments" />;
  else if (deployments.isError) {
    body = (
      <ApiErrorAlert
        error={deployments.error}
        onRetry={() => deployments.refetch()}
        forbidden="Your role in this workspace does not let you see its deployments."
      />
    );
  } else if (deployments.data.length === 0) {
    body = (
      <EmptyState
        icon={<IconRocket size={28} aria-hidden />}
        withIndicatorBackground
        title="No deployments yet"
        description={
          canManage
            ? 'A deployment is a service that Streamgate runs for this workspace, with a streaming token injected. Create the first one.'
            : 'A deployment is a service that Streamgate runs for this workspace. Managers and Admins can create them.'
        }
      >
        {createButton && <EmptyState.Actions>{createButton}</EmptyState.Actions>}
      </EmptyState>
    );
  } else {
    body = (
      <TableScroll minWidth={960} label={`Deployments of workspace ${ws}`}>
        <Table verticalSpacing="sm" highlightOnHover>
          <Table.Caption className="sr-only">Deployments of workspace {ws}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th style={{ whiteSpace: 'nowrap' }}>Status</Table.Th>
              <Table.Th style={{ whiteSpace: 'nowrap' }}>Token</Table.Th>
              <Table.Th className="num" style={{ whiteSpace: 'nowrap' }}>
                Replicas
              </Table.Th>
              <Table.Th className="num" style={{ whiteSpace: 'nowrap' }}>
                Restarts
              </Table.Th>
              <Table.Th style={{ whiteSpace: 'nowrap' }}>Last exit</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {deployments.data.map((d) => (
              <Table.Tr key={d.deploymentId} data-testid="deployment-row" data-name={d.name}>
                <Table.Td data-label="Name" maw={360}>
                  <Text fw={500} size="sm">
                    {d.name}
                  </Text>
                  <Text
                    size="xs"
                    ff="monospace"
                    c="dimmed"
                    lineClamp={2}
                    title={formatCommandLine(d.command)}
                    style={{ overflowWrap: 'anywhere' }}
                  >
                    {formatCommandLine([programName(d.command[0] ?? ''), ...d.command.slice(1)])}
                  </Text>
                </Table.Td>
                <Table.Td data-label="Status" miw={120}>
                  <StatusBadge deployment={d} />
                </Table.Td>
                <Table.Td data-label="Token" style={{ whiteSpace: 'nowrap' }}>
                  <TokenLabel deployment={d} />
                </Table.Td>
                <Table.Td data-label="Replicas" className="num" data-testid="deployment-replicas">
                  {d.replicasReady}/{d.replicas}
                </Table.Td>
                <Table.Td data-label="Restarts" className="num" data-testid="deployment-restarts">
                  {d.restartCount}
                </Table.Td>
                <Table.Td data-label="Last exit" data-testid="deployment-last-exit">
                  <LastExit lastExit={d.lastExit} />
                </Table.Td>
                <Table.Td>
                  <Actions
                    ws={ws}
                    deployment={d}
                    canOperate={canOperate}
                    canManage={canManage}
                    onEdit={() => setDialog({ kind: 'edit', deployment: d })}
                    onDelete={() => setDialog({ kind: 'delete', deployment: d })}
                  />
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
        title="Deployments"
        description={
          <>
            Services that Streamgate runs for this workspace. Each gets a streaming token as{' '}
            <Code>Quix__Sdk__Token</Code>; rotating the tokens moves them without anyone touching a service.
          </>
        }
        actions={deployments.isSuccess && deployments.data.length > 0 ? createButton : undefined}
      />
      {body}
      {dialog?.kind === 'create' && <DeploymentDialog ws={ws} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'edit' && (
        <DeploymentDialog ws={ws} deployment={dialog.deployment} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteDeploymentDialog ws={ws} deployment={dialog.deployment} onClose={() => setDialog(null)} />
      )}
    </>
  );
}
