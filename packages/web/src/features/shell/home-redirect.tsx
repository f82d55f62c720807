import { Button, EmptyState } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBuildingWarehouse, IconPlus } from '@tabler/icons-react';
import { Navigate } from 'react-router';
import { useWorkspaces } from '../../api/workspaces.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageLoader } from '../../components/page-loader.tsx';
import { useSession } from '../auth/use-session.ts';
import { CreateWorkspaceDialog } from './create-workspace-dialog.tsx';

/** The landing page: the first workspace the user may see, or what to do when there is none. */
export function HomeRedirect() {
  const workspaces = useWorkspaces();
  const isAdmin = useSession().data?.user.role === 'Admin';
  const [creating, { open, close }] = useDisclosure(false);

  if (workspaces.isPending) return <PageLoader label="Loading workspaces" />;
  if (workspaces.isError)
    return <ApiErrorAlert error={workspaces.error} onRetry={() => workspaces.refetch()} />;
  const first = workspaces.data[0];
  if (first) return <Navigate to={`/${first.workspaceId}/settings/tokens`} replace />;
  return (
    <>
      <EmptyState
        mt="xl"
        icon={<IconBuildingWarehouse size={32} aria-hidden />}
        withIndicatorBackground
        title="No workspaces yet"
        description={
          isAdmin
            ? 'A workspace holds topics and the two streaming tokens that services use to reach them. Create the first one.'
            : 'You have no role in any workspace yet. Ask an organisation Admin to create one or to give you a role in an existing one.'
        }
      >
        {isAdmin && (
          <EmptyState.Actions>
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
              Create a workspace
            </Button>
          </EmptyState.Actions>
        )}
      </EmptyState>
      <CreateWorkspaceDialog opened={creating} onClose={close} />
    </>
  );
}
