import {
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type CleanupPolicy, cleanupPolicies, topicNamePattern } from '@streamgate/contract';
import { type FormEvent, useState } from 'react';
import { useCreateTopic } from '../../api/topics.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { CLEANUP_LABELS } from './format.ts';

const NAME_PATTERN = new RegExp(topicNamePattern);

type Numeric = number | string;
function toNumberOrNull(value: Numeric): number | null {
  return value === '' ? null : Number(value);
}

export function CreateTopicDialog({
  ws,
  opened,
  onClose,
}: {
  ws: string;
  opened: boolean;
  onClose: () => void;
}) {
  const create = useCreateTopic(ws);
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState<Numeric>('');
  const [replicationFactor, setReplicationFactor] = useState<Numeric>('');
  const [retentionInMinutes, setRetentionInMinutes] = useState<Numeric>('');
  const [retentionInBytes, setRetentionInBytes] = useState<Numeric>('');
  const [cleanupPolicy, setCleanupPolicy] = useState<CleanupPolicy | null>(null);
  const [submitted, setSubmitted] = useState(false);

  const trimmed = name.trim();
  const nameError = !submitted
    ? null
    : !trimmed
      ? 'Give the topic a name'
      : !NAME_PATTERN.test(trimmed)
        ? 'Letters, digits, ".", "_" and "-" only'
        : null;

  const close = () => {
    setName('');
    setPartitions('');
    setReplicationFactor('');
    setRetentionInMinutes('');
    setRetentionInBytes('');
    setCleanupPolicy(null);
    setSubmitted(false);
    create.reset();
    onClose();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!trimmed || !NAME_PATTERN.test(trimmed)) return;
    create.mutate(
      {
        name: trimmed,
        configuration: {
          partitions: toNumberOrNull(partitions),
          replicationFactor: toNumberOrNull(replicationFactor),
          retentionInMinutes: toNumberOrNull(retentionInMinutes),
          retentionInBytes: toNumberOrNull(retentionInBytes),
          cleanupPolicy,
        },
      },
      {
        onSuccess: (topic) => {
          notifications.show({
            color: 'teal',
            title: 'Topic created',
            message: `${topic.name} is ${topic.status.toLowerCase()}.`,
          });
          close();
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
          Create a topic
        </Title>
      }
      size="lg"
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            description={
              <>
                The Kafka topic will be{' '}
                <code>
                  {ws}-{trimmed || 'name'}
                </code>
              </>
            }
            placeholder="orders"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameError}
            required
            maxLength={200}
            data-autofocus
          />
          <Text size="sm" c="dimmed">
            Leave a field empty to use the portal's default.
          </Text>
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <NumberInput
              label="Partitions"
              placeholder="default"
              min={1}
              max={1000}
              allowDecimal={false}
              value={partitions}
              onChange={setPartitions}
            />
            <NumberInput
              label="Replication factor"
              placeholder="default"
              min={1}
              max={10}
              allowDecimal={false}
              value={replicationFactor}
              onChange={setReplicationFactor}
            />
            <NumberInput
              label="Retention (minutes)"
              description="-1 keeps messages forever"
              placeholder="default"
              min={-1}
              allowDecimal={false}
              value={retentionInMinutes}
              onChange={setRetentionInMinutes}
            />
            <NumberInput
              label="Retention (bytes)"
              description="Per partition; -1 for no limit"
              placeholder="default"
              min={-1}
              allowDecimal={false}
              thousandSeparator=" "
              value={retentionInBytes}
              onChange={setRetentionInBytes}
            />
          </SimpleGrid>
          <Select
            label="Cleanup policy"
            placeholder="default"
            data={cleanupPolicies.map((p) => ({ value: p, label: CLEANUP_LABELS[p] }))}
            value={cleanupPolicy}
            onChange={(v) => setCleanupPolicy(cleanupPolicies.find((p) => p === v) ?? null)}
            clearable
            comboboxProps={{ withinPortal: true }}
          />
          {create.isError && (
            <ApiErrorAlert
              error={create.error}
              title="Could not create the topic"
              forbidden="Your role in this workspace does not allow creating topics."
              unavailable="The Kafka broker cannot be reached right now, so no topic can be created. Try again when it is back."
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create topic
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
