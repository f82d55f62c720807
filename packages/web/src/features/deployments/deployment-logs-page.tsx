import { Alert, Anchor, Badge, Box, Button, Group, Stack, Switch, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconArrowDown, IconArrowLeft, IconRefresh } from '@tabler/icons-react';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDeployment } from '../../api/deployments.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { roleAtLeast, useCurrentWorkspace } from '../shell/use-current-workspace.ts';
import { StatusBadge, TokenLabel } from './deployment-status.tsx';
import { TAIL_LINES, useLogFollow } from './use-log-follow.ts';

const PHASE_LABELS = {
  connecting: { label: 'Connecting…', color: 'gray' },
  following: { label: 'Following', color: 'teal' },
  paused: { label: 'Paused', color: 'gray' },
  ended: { label: 'Stream ended', color: 'orange' },
  failed: { label: 'Not following', color: 'red' },
} as const;

/** The log view keeps the newest line in sight unless the reader scrolled up to look at older ones. */
function useStickToBottom(deps: unknown) {
  const ref = useRef<HTMLPreElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  const stick = useRef(true);
  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 24;
    setAtBottom(stick.current);
  };
  const jump = useCallback(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
    stick.current = true;
    setAtBottom(true);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll after every change of the lines
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [deps]);
  return { ref, onScroll, atBottom, jump };
}

export function DeploymentLogsPage() {
  const { ws, role } = useCurrentWorkspace();
  const { deploymentId = '' } = useParams();
  const deployment = useDeployment(ws, deploymentId);
  const name = deployment.data?.name ?? deploymentId;
  useDocumentTitle(`Logs of ${name} · ${ws} · Streamgate`);
  const [follow, setFollow] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const allowed = roleAtLeast(role, 'Editor');
  const { lines, state } = useLogFollow(ws, deploymentId, follow && allowed, attempt);
  const view = useStickToBottom(lines);
  const phase = PHASE_LABELS[state.phase];

  // Back to the newest line whenever following starts again.
  useEffect(() => {
    if (follow) view.jump();
  }, [follow, view.jump]);

  return (
    <>
      <Anchor component={Link} to={`/${ws}/deployments`} size="sm" mb="xs" display="inline-block">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          Deployments
        </Group>
      </Anchor>
      <PageHeader
        title={`Logs of ${name}`}
        description={`The last ${TAIL_LINES} lines of stdout and stderr of every instance, then each new line as it is written.`}
        actions={
          deployment.data && (
            <Group gap="md" align="flex-start">
              <StatusBadge deployment={deployment.data} />
              <TokenLabel deployment={deployment.data} />
            </Group>
          )
        }
      />
      {deployment.isError && <ApiErrorAlert error={deployment.error} onRetry={() => deployment.refetch()} />}
      {!allowed ? (
        <Alert color="yellow" title="You do not have access">
          Only Editors, Managers and Admins of this workspace can read a deployment's logs. Your role here is{' '}
          <b>{role ?? 'unknown'}</b>.
        </Alert>
      ) : (
        <Stack gap="sm">
          <Group justify="space-between">
            <Group gap="md">
              <Switch
                label="Follow"
                checked={follow}
                onChange={(e) => setFollow(e.currentTarget.checked)}
                description="Keep reading new lines"
              />
              <Badge color={phase.color} variant="light" data-testid="log-phase" role="status">
                {phase.label}
              </Badge>
              <Text size="xs" c="dimmed">
                {lines.length} {lines.length === 1 ? 'line' : 'lines'}
              </Text>
            </Group>
            <Group gap="xs">
              {(state.phase === 'ended' || state.phase === 'failed') && (
                <Button
                  size="xs"
                  variant="light"
                  leftSection={<IconRefresh size={14} aria-hidden />}
                  onClick={() => setAttempt((a) => a + 1)}
                >
                  Reconnect
                </Button>
              )}
              {!view.atBottom && (
                <Button
                  size="xs"
                  variant="light"
                  leftSection={<IconArrowDown size={14} aria-hidden />}
                  onClick={view.jump}
                >
                  Jump to the newest line
                </Button>
              )}
            </Group>
          </Group>
          {state.phase === 'failed' && (
            <ApiErrorAlert
              error={state.error}
              title="Could not read the log"
              onRetry={() => setAttempt((a) => a + 1)}
            />
          )}
          <Box
            component="pre"
            ref={view.ref}
            onScroll={view.onScroll}
            role="log"
            aria-live="off"
            aria-label={`Log of ${name}`}
            tabIndex={0}
            data-testid="log-view"
            m={0}
            p="sm"
            fz={13}
            style={{
              height: 'calc(100vh - 290px)',
              minHeight: 240,
              overflow: 'auto',
              background: 'var(--mantine-color-dark-8)',
              color: 'var(--mantine-color-gray-2)',
              borderRadius: 'var(--mantine-radius-md)',
              fontFamily: 'var(--mantine-font-family-monospace)',
              whiteSpace: 'pre-wrap',
              overflowWrap: 'anywhere',
            }}
          >
            {lines.length === 0 ? (
              <span style={{ color: 'var(--mantine-color-gray-5)' }}>
                {state.phase === 'connecting' ? 'Connecting…' : 'Nothing written yet.'}
              </span>
            ) : (
              lines.join('\n')
            )}
          </Box>
        </Stack>
      )}
    </>
  );
}
