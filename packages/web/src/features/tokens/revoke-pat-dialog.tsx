import { Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { PersonalAccessToken } from '@streamgate/contract';
import { useRevokePat } from '../../api/pats.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';

export function RevokePatDialog({ pat, onClose }: { pat: PersonalAccessToken | null; onClose: () => void }) {
  const revoke = useRevokePat();
  const close = () => {
    revoke.reset();
    onClose();
  };
  const onRevoke = () => {
    if (!pat) return;
    revoke.mutate(pat.id, {
      onSuccess: () => {
        notifications.show({
          color: 'teal',
          title: 'Token revoked',
          message: `"${pat.name}" no longer works.`,
        });
        close();
      },
    });
  };
  return (
    <Modal
      opened={pat !== null}
      onClose={close}
      title={
        <Title order={2} fz="h3">
          Revoke token?
        </Title>
      }
    >
      <Stack>
        <Text size="sm">
          <b>{pat?.name}</b> stops working at once: every script that uses it will be refused. This cannot be
          undone.
        </Text>
        {revoke.isError && <ApiErrorAlert error={revoke.error} title="Could not revoke the token" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={onRevoke} loading={revoke.isPending}>
            Revoke token
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
