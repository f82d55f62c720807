import { Alert, Button, Group, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useRotationRun } from '../../api/rotations.ts';
import { MODE_TITLES, runSummary } from './rotation-run-format.ts';

/** A rotation run is under way (started here, elsewhere, or before a reload): where it is now. */
export function ActiveRotationBanner({
  ws,
  rotationId,
  onShow,
}: {
  ws: string;
  rotationId: string;
  onShow: () => void;
}) {
  const run = useRotationRun(ws, rotationId).data;
  return (
    <Alert
      color="blue"
      icon={<IconRefresh aria-hidden />}
      title="A rotation is running"
      data-testid="active-rotation"
    >
      <Group justify="space-between" gap="sm">
        <Text size="sm">
          {run
            ? `${MODE_TITLES[run.mode]}, started by ${run.startedBy}. ${runSummary(run)}`
            : 'Loading its progress…'}
        </Text>
        <Button size="xs" variant="white" onClick={onShow}>
          Show progress
        </Button>
      </Group>
    </Alert>
  );
}
