import { Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import type { Deployment, DeploymentStatus } from '@streamgate/contract';
import { IconAlertTriangle } from '@tabler/icons-react';
import { RelativeTime } from '../../components/relative-time.tsx';

const STATUS_COLORS: Record<DeploymentStatus, string> = {
  Starting: 'blue',
  Running: 'teal',
  Stopping: 'orange',
  Stopped: 'gray',
  Error: 'red',
  Completed: 'gray',
};

export function StatusBadge({ deployment }: { deployment: Deployment }) {
  return (
    <Stack gap={2} align="flex-start">
      <Badge color={STATUS_COLORS[deployment.status]} variant="light" data-testid="deployment-status">
        {deployment.status}
      </Badge>
      {deployment.statusDetail && (
        <Text size="xs" c={deployment.status === 'Error' ? 'red' : 'dimmed'} maw={220}>
          {deployment.statusDetail}
        </Text>
      )}
    </Stack>
  );
}

/** The token it runs with as the person knows it (Token 1, Token 2), and whether a restart is due. */
export function TokenLabel({ deployment }: { deployment: Deployment }) {
  const slot = deployment.tokenSlot;
  return (
    <Group gap={6} wrap="wrap">
      {slot === null ? (
        <Tooltip label="Its token was rotated out: it is refused until the deployment moves to a valid one">
          <Badge color="red" variant="light" tt="none">
            deactivated
          </Badge>
        </Tooltip>
      ) : (
        <Text size="sm" data-testid="deployment-token">
          Token {slot}
        </Text>
      )}
      {deployment.restartRequired && (
        <Badge
          color="orange"
          variant="light"
          tt="none"
          leftSection={<IconAlertTriangle size={12} aria-hidden />}
          title="An instance runs with an old token, command or variables"
        >
          restart required
        </Badge>
      )}
    </Group>
  );
}

export function LastExit({ lastExit }: { lastExit: Deployment['lastExit'] }) {
  if (!lastExit)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  const how =
    lastExit.signal !== null
      ? `signal ${lastExit.signal}`
      : lastExit.code !== null
        ? `code ${lastExit.code}`
        : 'exited';
  return (
    <Stack gap={0}>
      <Text size="sm">{how}</Text>
      <Text size="xs" c="dimmed">
        <RelativeTime value={lastExit.at} />
      </Text>
    </Stack>
  );
}
