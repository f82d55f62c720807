import { Button, Code, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Topic } from '@streamgate/contract';
import { useDeleteTopic } from '../../api/topics.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';

export function DeleteTopicDialog({
  ws,
  topic,
  onClose,
}: {
  ws: string;
  topic: Topic | null;
  onClose: () => void;
}) {
  const remove = useDeleteTopic(ws);
  const close = () => {
    remove.reset();
    onClose();
  };
  const onDelete = () => {
    if (!topic) return;
    remove.mutate(topic.name, {
      onSuccess: () => {
        notifications.show({
          color: 'teal',
          title: 'Topic deleted',
          message: `${topic.name} and its messages are gone.`,
        });
        close();
      },
    });
  };
  return (
    <Modal
      opened={topic !== null}
      onClose={close}
      title={
        <Title order={2} fz="h3">
          Delete topic?
        </Title>
      }
    >
      <Stack>
        <Text size="sm">
          <b>{topic?.name}</b> (<Code>{topic?.id}</Code>) and every message in it will be deleted. Services
          that read or write it will fail. This cannot be undone.
        </Text>
        {remove.isError && (
          <ApiErrorAlert
            error={remove.error}
            title="Could not delete the topic"
            forbidden="Your role in this workspace does not allow deleting topics."
            unavailable="The Kafka broker cannot be reached right now. Try again when it is back."
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={onDelete} loading={remove.isPending}>
            Delete topic
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
