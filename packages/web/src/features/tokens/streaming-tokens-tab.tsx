import { Alert, Anchor, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertTriangle, IconEyeOff, IconRefresh } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { rotationPlanKey, useRotationPlan } from '../../api/rotations.ts';
import { useStreamingTokens } from '../../api/streaming-tokens.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageLoader } from '../../components/page-loader.tsx';
import { useCurrentWorkspace } from '../shell/use-current-workspace.ts';
import { ActiveRotationBanner } from './active-rotation-banner.tsx';
import { RotateDialog } from './rotate-dialog.tsx';
import { StreamingTokenCard } from './streaming-token-card.tsx';
import { useTokenValueLoader } from './use-token-value-loader.ts';

export function StreamingTokensTab() {
  const { ws, role } = useCurrentWorkspace();
  const query = useStreamingTokens(ws);
  // The portal's verdict on Token 1, and a rotation run that is under way (also after a reload).
  const plan = useRotationPlan(ws).data?.plan;
  const activeRun = plan?.activeRun ?? null;
  const loadValue = useTokenValueLoader(ws, query.data?.tokens);
  const [opened, { open, close }] = useDisclosure(false);
  const queryClient = useQueryClient();

  if (query.isPending) return <PageLoader label="Loading streaming tokens" />;
  if (query.isError) {
    return (
      <ApiErrorAlert
        error={query.error}
        onRetry={() => query.refetch()}
        forbidden="Your role in this workspace does not let you see its streaming tokens."
      />
    );
  }
  const { tokens } = query.data;
  // Usage decides whether rotating breaks something: look again when the dialog opens.
  const openRotation = () => {
    void query.refetch();
    void queryClient.invalidateQueries({ queryKey: rotationPlanKey(ws) });
    open();
  };

  return (
    <Stack gap="lg">
      {activeRun && <ActiveRotationBanner ws={ws} rotationId={activeRun.rotationId} onShow={open} />}
      <Text size="sm">
        Services use these tokens to reach this workspace's streams: set one of them as{' '}
        <code>Quix__Sdk__Token</code>. Two tokens exist so that you can rotate without downtime.
      </Text>
      <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} title="These tokens never expire">
        Treat them like passwords: keep them in a secret store, never in source code or chat. If one may have
        leaked, rotate.
      </Alert>
      {!tokens.canViewValues && (
        <Alert
          color="gray"
          icon={<IconEyeOff aria-hidden />}
          title="Token values are hidden for your role"
          data-testid="values-hidden"
        >
          Only the Admin, Manager and Editor roles may view token values. Your role in this workspace is{' '}
          <b>{role ?? 'unknown'}</b>. You can still see when and by whom the tokens were used.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <StreamingTokenCard
          label="Token 1"
          token={tokens.token1}
          description="The current token. Rotating deactivates it."
          loadValue={loadValue?.token1}
          verdict={plan}
        />
        <StreamingTokenCard
          label="Token 2"
          token={tokens.token2}
          description="The next token. It becomes Token 1 when you rotate, so services on it keep working."
          loadValue={loadValue?.token2}
        />
      </SimpleGrid>
      <Group gap="xs" align="center">
        <IconRefresh size={18} aria-hidden />
        {tokens.canRotate ? (
          <Text size="sm">
            A token may have leaked, or it is time for a routine change?{' '}
            <Anchor component="button" type="button" onClick={openRotation} fz="sm" fw={600}>
              Rotate them
            </Anchor>
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            <Anchor
              component="button"
              type="button"
              disabled
              aria-disabled="true"
              aria-describedby="rotate-reason"
              fz="sm"
              c="dimmed"
              style={{ cursor: 'not-allowed', textDecoration: 'none' }}
            >
              Rotate them
            </Anchor>{' '}
            <span id="rotate-reason">— only Admins of this workspace can rotate streaming tokens.</span>
          </Text>
        )}
      </Group>
      <RotateDialog ws={ws} data={query.data} opened={opened} onClose={close} canRotate={tokens.canRotate} />
    </Stack>
  );
}
