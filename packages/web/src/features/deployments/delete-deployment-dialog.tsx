import { Button, Code, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Deployment } from '@streamgate/contract';
import { useDeleteDeployment } from '../../api/deployments.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';

export function DeleteDeploymentDialog({
  ws,
  deployment,
  onClose,
}: {
  ws: string;
  deployment: Deployment;
  onClose: () => void;
}) {
  const remove = useDeleteDeployment(ws);
  const onDelete = () => {
    remove.mutate(deployment.deploymentId, {
      onSuccess: () => {
        notifications.show({
          color: 'teal',
          title: 'Deployment deleted',
          message: `${deployment.name} was stopped and deleted.`,
        });
        onClose();
      },
    });
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={
        <Title order={2} fz="h3">
          Delete deployment?
        </Title>
      }
    >
      <Stack>
        <Text size="sm">
          <b>{deployment.name}</b> (<Code>{deployment.deploymentId}</Code>) will be stopped, and its command,
          variables and logs deleted. This cannot be undone.
        </Text>
        {remove.isError && (
          <ApiErrorAlert
            error={remove.error}
            title="The deployment was not deleted"
            forbidden="Only Managers and Admins of this workspace can delete deployments."
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={onDelete} loading={remove.isPending}>
            Delete deployment
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
