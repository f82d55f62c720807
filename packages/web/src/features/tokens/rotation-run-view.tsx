import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Timeline } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { RotationRun, RotationRunStep } from '@streamgate/contract';
import {
  IconCheck,
  IconCircleDashed,
  IconHourglassHigh,
  IconPlayerSkipForward,
  IconPlayerStop,
  IconX,
} from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useRotationRun, useRotationRunCommand } from '../../api/rotations.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageLoader } from '../../components/page-loader.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { ClientsTable } from './clients-table.tsx';
import {
  canCancel,
  canForce,
  formatDuration,
  MODE_TITLES,
  RUN_STATUS_LABELS,
  runSummary,
  STEP_TITLES,
} from './rotation-run-format.ts';

type StepState = RotationRunStep['state'];

const STEP_STATES: Record<StepState, { label: string; color: string }> = {
  pending: { label: 'Pending', color: 'gray' },
  running: { label: 'Running', color: 'blue' },
  done: { label: 'Done', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  skipped: { label: 'Skipped', color: 'gray' },
};

const MOVE_STATES: Record<RotationRunStep['deployments'][number]['state'], string> = {
  pending: 'gray',
  moving: 'blue',
  done: 'teal',
  failed: 'red',
};

function StepBullet({ state }: { state: StepState }) {
  // No spinner: an endless animation would keep the page from ever being at rest (and axe from running).
  if (state === 'running') return <IconHourglassHigh size={14} aria-hidden />;
  if (state === 'done') return <IconCheck size={14} aria-hidden />;
  if (state === 'failed') return <IconX size={14} aria-hidden />;
  if (state === 'skipped') return <IconPlayerSkipForward size={12} aria-hidden />;
  return <IconCircleDashed size={14} aria-hidden />;
}

/** Seconds matter here: the quiet period is often shorter than a minute. */
function formatTime(iso: string): string {
  return dayjs(iso).format('HH:mm:ss');
}

/** Seconds until `iso`, ticking every second while it is in the future. */
function useSecondsUntil(iso: string | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!iso) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [iso]);
  return iso ? Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000)) : null;
}

function QuietUntil({ step }: { step: RotationRunStep }) {
  const left = useSecondsUntil(step.state === 'running' ? step.quietUntil : null);
  // Only while waiting: once the step ended (or was forced), the time says nothing any more.
  if (!step.quietUntil || step.state !== 'running') return null;
  return (
    <Text size="sm" data-testid="quiet-until">
      Token 1 counts as quiet at <time dateTime={step.quietUntil}>{formatTime(step.quietUntil)}</time>
      {left !== null && left > 0 ? ` (in ${left} s)` : ''} if nothing uses it until then.
    </Text>
  );
}

function MovedDeployments({ step }: { step: RotationRunStep }) {
  if (step.deployments.length === 0) return null;
  return (
    <Table withRowBorders={false} verticalSpacing={4} horizontalSpacing="xs" fz="sm" maw={560}>
      <Table.Caption className="sr-only">Deployments of step {STEP_TITLES[step.name]}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Deployment</Table.Th>
          <Table.Th>State</Table.Th>
          <Table.Th>Downtime</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {step.deployments.map((d) => (
          <Table.Tr key={d.deploymentId} data-testid="moved-deployment" data-name={d.name}>
            <Table.Td>{d.name}</Table.Td>
            <Table.Td>
              <Badge size="sm" variant="light" color={MOVE_STATES[d.state]}>
                {d.state}
              </Badge>
            </Table.Td>
            <Table.Td>
              {d.downtimeMs === null ? '—' : d.downtimeMs === 0 ? 'none' : formatDuration(d.downtimeMs)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function StepBody({ step }: { step: RotationRunStep }) {
  const state = STEP_STATES[step.state];
  const took =
    step.startedAt && step.endedAt
      ? formatDuration(Date.parse(step.endedAt) - Date.parse(step.startedAt))
      : null;
  return (
    <Stack gap={6} mt={4} data-testid="rotation-step" data-step={step.name} data-state={step.state}>
      <Group gap="xs">
        <Badge size="sm" variant="light" color={state.color}>
          {state.label}
        </Badge>
        {took && (
          <Text size="xs" c="dimmed">
            took {took}
          </Text>
        )}
      </Group>
      {step.detail && <Text size="sm">{step.detail}</Text>}
      <MovedDeployments step={step} />
      {step.name === 'wait-quiet' && (
        <>
          <QuietUntil step={step} />
          {step.clients.length > 0 && (
            <Paper withBorder p="xs" radius="sm">
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={4}>
                {step.state === 'running'
                  ? 'Outside clients still using Token 1'
                  : 'Outside clients waited for'}
              </Text>
              <ClientsTable clients={step.clients} caption="Outside clients the rotation waits for" />
            </Paper>
          )}
        </>
      )}
    </Stack>
  );
}

function RunHeader({ run }: { run: RotationRun }) {
  const status = RUN_STATUS_LABELS[run.status];
  return (
    <Group justify="space-between" align="flex-start">
      <Stack gap={2}>
        <Group gap="xs">
          <Text fw={600}>{MODE_TITLES[run.mode]}</Text>
          <Badge color={status.color} variant="filled" data-testid="rotation-status">
            {status.label}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed">
          Started by {run.startedBy} <RelativeTime value={run.createdAt} />
          {run.mode === 'zero-downtime' && <> · quiet period {formatDuration(run.quietSeconds * 1000)}</>}
          {run.force && <> · not waiting for outside clients</>}
        </Text>
      </Stack>
    </Group>
  );
}

type Props = { ws: string; rotationId: string; canControl: boolean; onClose: () => void };

/** A rotation run's steps, read every second until it ends; cancel and force while it runs. */
export function RotationRunView({ ws, rotationId, canControl, onClose }: Props) {
  const query = useRotationRun(ws, rotationId);
  const command = useRotationRunCommand(ws, rotationId);
  const run = query.data;
  const ended = run !== undefined && run.status !== 'running';

  // Said once, when this view saw the run end well (not when it opens on a run that already ended).
  const previous = useRef(run?.status);
  useEffect(() => {
    const was = previous.current;
    previous.current = run?.status;
    if (was === 'running' && run?.status === 'succeeded') {
      notifications.show({
        color: 'teal',
        title: 'Streaming tokens rotated',
        message:
          'The old Token 1 no longer works; the former Token 2 is now Token 1, and there is a new Token 2.',
      });
    }
  }, [run?.status]);

  if (!run) {
    if (query.isError)
      return (
        <ApiErrorAlert
          error={query.error}
          title="Could not read the rotation"
          onRetry={() => query.refetch()}
        />
      );
    return <PageLoader label="Loading the rotation" />;
  }
  const active = run.steps.findIndex((s) => s.state === 'running');
  const reached = active >= 0 ? active : run.steps.findLastIndex((s) => s.state !== 'pending');

  return (
    <Stack gap="md">
      <RunHeader run={run} />
      <Text size="sm" role="status" aria-live="polite" data-testid="rotation-summary">
        {runSummary(run)}
      </Text>
      <Timeline active={reached} bulletSize={24} lineWidth={2} aria-label="Steps of the rotation">
        {run.steps.map((step) => (
          <Timeline.Item
            key={step.name}
            bullet={<StepBullet state={step.state} />}
            color={STEP_STATES[step.state].color}
            title={
              <Text fw={600} size="sm">
                {STEP_TITLES[step.name]}
              </Text>
            }
          >
            <StepBody step={step} />
          </Timeline.Item>
        ))}
      </Timeline>
      {run.status === 'failed' && (
        <Alert color="red" title="The rotation did not finish" role="alert">
          {run.error ?? 'The run failed.'} Both tokens stay valid, and deployments that were moved run on
          Token 2.
        </Alert>
      )}
      {run.status === 'succeeded' && run.brokerCutoff === 'pending' && (
        <Text size="sm" c="dimmed">
          The broker cuts off the old Token 1 within seconds.
        </Text>
      )}
      {query.isError && <ApiErrorAlert error={query.error} title="Lost track of the rotation" />}
      {command.isError && (
        <ApiErrorAlert error={command.error} title="The rotation did not take the command" />
      )}
      <Group justify="flex-end">
        {canControl && canForce(run) && (
          <Button
            variant="light"
            color="orange"
            leftSection={<IconPlayerSkipForward size={16} aria-hidden />}
            loading={command.isPending && command.variables === 'force'}
            disabled={command.isPending}
            onClick={() => command.mutate('force')}
          >
            Don't wait for outside clients
          </Button>
        )}
        {canControl && canCancel(run) && (
          <Button
            variant="light"
            color="red"
            leftSection={<IconPlayerStop size={16} aria-hidden />}
            loading={command.isPending && command.variables === 'cancel'}
            disabled={command.isPending}
            onClick={() => command.mutate('cancel')}
          >
            Cancel rotation
          </Button>
        )}
        <Button variant={ended ? 'filled' : 'default'} onClick={onClose}>
          {ended ? 'Close' : 'Hide'}
        </Button>
      </Group>
    </Stack>
  );
}
