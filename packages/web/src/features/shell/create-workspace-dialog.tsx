import { Button, Code, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { workspaceIdProblem } from '@streamgate/contract';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { useCreateWorkspace } from '../../api/workspaces.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { suggestWorkspaceId } from './workspace-id.ts';

export function CreateWorkspaceDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateWorkspace();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [idTouched, setIdTouched] = useState(false);
  const [submitted, setSubmitted] = useState(false);

  const workspaceId = idTouched ? id : suggestWorkspaceId(name);
  const idError = submitted ? workspaceIdProblem(workspaceId) : null;
  const nameError = submitted && !name.trim() ? 'Give the workspace a name' : null;

  const close = () => {
    setName('');
    setId('');
    setIdTouched(false);
    setSubmitted(false);
    create.reset();
    onClose();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!name.trim() || workspaceIdProblem(workspaceId)) return;
    create.mutate(
      { workspaceId, name: name.trim() },
      {
        onSuccess: (workspace) => {
          notifications.show({
            color: 'teal',
            title: 'Workspace created',
            message: `${workspace.workspaceId} has its two streaming tokens.`,
          });
          close();
          navigate(`/${workspace.workspaceId}/settings/tokens`);
        },
      },
    );
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={
        <Title order={2} fz="h3">
          Create a workspace
        </Title>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            placeholder="e.g. Acme production"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameError}
            required
            maxLength={100}
            data-autofocus
          />
          <TextInput
            label="Workspace id"
            description="Part of every topic and consumer group name; it cannot change later"
            value={workspaceId}
            onChange={(e) => {
              setIdTouched(true);
              setId(e.currentTarget.value);
            }}
            error={idError}
            required
            maxLength={64}
            spellCheck={false}
            autoComplete="off"
          />
          {workspaceId && !workspaceIdProblem(workspaceId) && (
            <Text size="xs" c="dimmed">
              Topics will be named <Code>{workspaceId}-orders</Code> and so on.
            </Text>
          )}
          {create.isError && (
            <ApiErrorAlert
              error={create.error}
              title="Could not create the workspace"
              forbidden="Only organisation Admins can create workspaces."
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create workspace
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
