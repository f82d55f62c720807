import { Button, EmptyState } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { Link, Outlet } from 'react-router';
import { useWorkspaces } from '../../api/workspaces.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageLoader } from '../../components/page-loader.tsx';
import { useCurrentWorkspace } from './use-current-workspace.ts';

/** A workspace page only renders for a workspace that the user can see. */
export function WorkspaceGuard() {
  const workspaces = useWorkspaces();
  const { ws, workspace } = useCurrentWorkspace();
  if (workspaces.isPending) return <PageLoader label="Loading workspace" />;
  if (workspaces.isError)
    return <ApiErrorAlert error={workspaces.error} onRetry={() => workspaces.refetch()} />;
  if (!workspace) {
    return (
      <EmptyState
        mt="xl"
        icon={<IconSearch size={32} aria-hidden />}
        withIndicatorBackground
        title={`Workspace "${ws}" not found`}
        description="It does not exist, or your role does not let you see it. Pick another workspace from the list."
      >
        <EmptyState.Actions>
          <Button component={Link} to="/">
            Go to my workspaces
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    );
  }
  return <Outlet />;
}
