import { Badge, Button, Code, EmptyState, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import type { Topic, TopicStatus } from '@streamgate/contract';
import { IconListDetails, IconPlus } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTopics } from '../../api/topics.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { PageLoader } from '../../components/page-loader.tsx';
import { DateText } from '../../components/relative-time.tsx';
import { TableScroll } from '../../components/table-scroll.tsx';
import { useCurrentWorkspace } from '../shell/use-current-workspace.ts';
import { CreateTopicDialog } from './create-topic-dialog.tsx';
import { DeleteTopicDialog } from './delete-topic-dialog.tsx';
import { CLEANUP_LABELS, formatBytes, formatMinutes } from './format.ts';

const STATUS_COLORS: Record<TopicStatus, string> = {
  Ready: 'teal',
  Creating: 'blue',
  Deleting: 'orange',
  Error: 'red',
};

function Status({ topic }: { topic: Topic }) {
  const badge = (
    <Badge color={STATUS_COLORS[topic.status]} variant="light">
      {topic.status}
    </Badge>
  );
  return topic.lastError ? (
    <Stack gap={2}>
      {badge}
      <Text size="xs" c="red">
        {topic.lastError}
      </Text>
    </Stack>
  ) : (
    badge
  );
}

export function TopicsPage() {
  const { ws } = useCurrentWorkspace();
  useDocumentTitle(`Topics · ${ws} · Streamgate`);
  const topics = useTopics(ws);
  const [creating, { open, close }] = useDisclosure(false);
  const [deleting, setDeleting] = useState<Topic | null>(null);

  const createButton = (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={open}>
      Create topic
    </Button>
  );

  let body: ReactNode;
  if (topics.isPending) body = <PageLoader label="Loading topics" />;
  else if (topics.isError) {
    body = (
      <ApiErrorAlert
        error={topics.error}
        onRetry={() => topics.refetch()}
        forbidden="Your role in this workspace does not let you see its topics."
        unavailable="The Kafka broker cannot be reached right now, so topics cannot be listed or changed. Streaming tokens, members and the audit log still work."
      />
    );
  } else if (topics.data.length === 0) {
    body = (
      <EmptyState
        icon={<IconListDetails size={28} aria-hidden />}
        withIndicatorBackground
        title="No topics yet"
        description="Create a topic here, or let a service create it: the Quix clients create the topics they use on first start."
      >
        <EmptyState.Actions>{createButton}</EmptyState.Actions>
      </EmptyState>
    );
  } else {
    body = (
      <TableScroll minWidth={860} label={`Topics of workspace ${ws}`}>
        <Table verticalSpacing="sm" highlightOnHover>
          <Table.Caption className="sr-only">Topics of workspace {ws}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th className="num">Partitions</Table.Th>
              <Table.Th className="num">Replication</Table.Th>
              <Table.Th>Retention</Table.Th>
              <Table.Th>Cleanup</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {topics.data.map((topic) => {
              const c = topic.configuration;
              return (
                <Table.Tr key={topic.id} data-testid="topic-row">
                  <Table.Td data-label="Name">
                    <Text fw={500} size="sm">
                      {topic.name}
                    </Text>
                    <Tooltip label="Kafka topic name" withArrow>
                      <Code fz="xs">{topic.id}</Code>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td data-label="Status">
                    <Status topic={topic} />
                  </Table.Td>
                  <Table.Td data-label="Partitions" className="num">
                    {c.partitions ?? 'default'}
                  </Table.Td>
                  <Table.Td data-label="Replication" className="num">
                    {c.replicationFactor ?? 'default'}
                  </Table.Td>
                  <Table.Td data-label="Retention">
                    {formatMinutes(c.retentionInMinutes)} · {formatBytes(c.retentionInBytes)}
                  </Table.Td>
                  <Table.Td data-label="Cleanup">
                    {c.cleanupPolicy ? CLEANUP_LABELS[c.cleanupPolicy] : 'default'}
                  </Table.Td>
                  <Table.Td data-label="Created">
                    <DateText value={topic.createdAt} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Button
                      variant="subtle"
                      color="red"
                      size="xs"
                      onClick={() => setDeleting(topic)}
                      aria-label={`Delete topic ${topic.name}`}
                    >
                      Delete
                    </Button>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </TableScroll>
    );
  }

  return (
    <>
      <PageHeader
        title="Topics"
        description={
          <>
            Kafka topics of this workspace. Services reach them with a streaming token; their Kafka names
            start with <Code style={{ whiteSpace: 'nowrap' }}>{ws}-</Code>.
          </>
        }
        actions={topics.isSuccess && topics.data.length > 0 ? createButton : undefined}
      />
      {body}
      <CreateTopicDialog ws={ws} opened={creating} onClose={close} />
      <DeleteTopicDialog ws={ws} topic={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
