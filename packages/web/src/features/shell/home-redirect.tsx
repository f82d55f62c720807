import { EmptyState } from '@mantine/core';
import { IconBuildingWarehouse } from '@tabler/icons-react';
import { Navigate } from 'react-router';
import { useWorkspaces } from '../../api/workspaces.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageLoader } from '../../components/page-loader.tsx';

/** The landing page: the first workspace the user may see, or what to do when there is none. */
export function HomeRedirect() {
  const workspaces = useWorkspaces();
  if (workspaces.isPending) return <PageLoader label="Loading workspaces" />;
  if (workspaces.isError)
    return <ApiErrorAlert error={workspaces.error} onRetry={() => workspaces.refetch()} />;
  const first = workspaces.data[0];
  if (first) return <Navigate to={`/${first.workspaceId}/settings/tokens`} replace />;
  return (
    <EmptyState
      mt="xl"
      icon={<IconBuildingWarehouse size={32} aria-hidden />}
      withIndicatorBackground
      title="No workspaces yet"
      description="You are not a member of any workspace. Ask an organisation Admin to create one (POST /workspaces) or to give you a role in an existing one."
    />
  );
}
