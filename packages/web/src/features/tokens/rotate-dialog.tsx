import {
  Alert,
  Button,
  Checkbox,
  Code,
  Collapse,
  Group,
  Modal,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { RotationPlan, StartRotationRequest, StreamingToken } from '@streamgate/contract';
import { IconChevronDown, IconChevronRight, IconInfoCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { hasCode } from '../../api/api-error.ts';
import {
  invalidateAfterRotation,
  rotationPlanKey,
  useRotationPlan,
  useStartRotation,
} from '../../api/rotations.ts';
import {
  type StreamingTokensWithEtag,
  streamingTokensKey,
  useRotateStreamingTokens,
} from '../../api/streaming-tokens.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageLoader } from '../../components/page-loader.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { mask, SecretField } from '../../components/secret-field.tsx';
import { type RotationChoice, RotationModePicker } from './rotation-mode-picker.tsx';
import { RotationRunView } from './rotation-run-view.tsx';
import { RotationVerdict } from './rotation-verdict.tsx';
import { useTokenValueLoader } from './use-token-value-loader.ts';

type Props = {
  ws: string;
  data: StreamingTokensWithEtag;
  opened: boolean;
  onClose: () => void;
  /** Whether this person may start, cancel or force a rotation (an Admin of the workspace). */
  canRotate: boolean;
};

function TokenSummary({
  label,
  token,
  fate,
  loadValue,
}: {
  label: string;
  token: StreamingToken;
  fate: string;
  loadValue?: () => Promise<string>;
}) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {label}{' '}
        <Text span c="dimmed" size="sm" fw={400}>
          ({fate})
        </Text>
      </Text>
      {token.value !== undefined || loadValue ? (
        <SecretField value={token.value} hint={token.hint} load={loadValue} label={`${label} in dialog`} />
      ) : (
        <Code>{mask(token.hint)}</Code>
      )}
      <Text size="xs" c="dimmed">
        Last used <RelativeTime value={token.lastUsedAt} />
      </Text>
    </Stack>
  );
}

function optionalNumber(value: number | string): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The choice of how to rotate, with the portal's verdict, and the confirmation. */
function RotationForm({
  ws,
  data,
  plan,
  etag,
  onStarted,
  onClose,
}: {
  ws: string;
  data: StreamingTokensWithEtag;
  plan: RotationPlan;
  etag: string | null;
  onStarted: (rotationId: string) => void;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const rotate = useRotateStreamingTokens(ws);
  const start = useStartRotation(ws);
  const [choice, setChoice] = useState<RotationChoice>(plan.recommendedMode);
  const [advanced, setAdvanced] = useState(false);
  const [quietSeconds, setQuietSeconds] = useState<number | string>('');
  const [timeoutSeconds, setTimeoutSeconds] = useState<number | string>('');
  const [force, setForce] = useState(false);
  const [confirmation, setConfirmation] = useState('');
  const [lostRace, setLostRace] = useState(false);
  const loadValue = useTokenValueLoader(ws, data.tokens);
  const { token1, token2 } = data.tokens;
  const confirmed = confirmation.trim() === ws;
  const pending = rotate.isPending || start.isPending;
  const error = choice === 'rotate-only' ? rotate.error : start.error;
  // Sent only with an ETag, so a 428 means something between the browser and the portal
  // dropped the If-Match header: no retry can succeed, and nothing was changed.
  const ifMatchLost = hasCode(error, 'PORTAL_PRECONDITION_REQUIRED');

  const onRaceLost = (failure: Error) => {
    // A stale If-Match (someone rotated first) and a run already under way both answer 409.
    if (!hasCode(failure, 'PORTAL_CONFLICT')) return;
    // Someone rotated or started a run first: show the pair and the plan as they are now.
    setLostRace(true);
    setConfirmation('');
    void queryClient.invalidateQueries({ queryKey: streamingTokensKey(ws) });
    void queryClient.invalidateQueries({ queryKey: rotationPlanKey(ws) });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!confirmed || !etag || pending) return;
    setLostRace(false);
    if (choice === 'rotate-only') {
      rotate.mutate(etag, {
        onSuccess: ({ brokerCutoff }) => {
          invalidateAfterRotation(queryClient, ws);
          notifications.show({
            color: 'teal',
            title: 'Streaming tokens rotated',
            message:
              brokerCutoff === 'pending'
                ? 'The former Token 2 is now Token 1, and there is a new Token 2. The broker cuts off the old Token 1 within seconds.'
                : 'The old Token 1 no longer works. The former Token 2 is now Token 1, and there is a new Token 2.',
          });
          onClose();
        },
        onError: onRaceLost,
      });
      return;
    }
    const body: StartRotationRequest = { mode: choice };
    if (choice === 'zero-downtime') {
      body.quietSeconds = optionalNumber(quietSeconds);
      body.timeoutSeconds = optionalNumber(timeoutSeconds);
      if (force) body.force = true;
    }
    start.mutate(
      { etag, start: body },
      { onSuccess: (run) => onStarted(run.rotationId), onError: onRaceLost },
    );
  };

  return (
    <form onSubmit={onSubmit}>
      <Stack gap="md">
        {lostRace && (
          <Alert
            color="orange"
            icon={<IconInfoCircle aria-hidden />}
            title="Someone else rotated first"
            role="alert"
          >
            The tokens were rotated, or a rotation was started, by someone else while this dialog was open, so
            nothing was changed now. The tokens and the verdict below have been refreshed: check them, and
            confirm again if you still want to rotate.
          </Alert>
        )}
        <RotationVerdict plan={plan} />
        <RotationModePicker
          plan={plan}
          value={choice}
          onChange={setChoice}
          quietSeconds={optionalNumber(quietSeconds) ?? plan.quietSeconds}
        />
        {choice === 'zero-downtime' && (
          <div>
            <UnstyledButton
              onClick={() => setAdvanced((a) => !a)}
              aria-expanded={advanced}
              aria-controls="rotation-advanced"
              fz="sm"
              fw={500}
              c="var(--mantine-color-anchor)"
            >
              <Group gap={4}>
                {advanced ? (
                  <IconChevronDown size={14} aria-hidden />
                ) : (
                  <IconChevronRight size={14} aria-hidden />
                )}
                Advanced settings
              </Group>
            </UnstyledButton>
            <Collapse expanded={advanced} id="rotation-advanced">
              <Stack gap="sm" mt="sm">
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <NumberInput
                    label="Quiet period (seconds)"
                    description={`How long nothing may use Token 1 before rotating; default ${plan.quietSeconds} (the broker JWT lifetime)`}
                    placeholder={String(plan.quietSeconds)}
                    min={0}
                    max={86_400}
                    allowDecimal={false}
                    value={quietSeconds}
                    onChange={setQuietSeconds}
                  />
                  <NumberInput
                    label="Give up after (seconds)"
                    description="The run stops before rotating if it takes longer; default: quiet period + 600"
                    placeholder="default"
                    min={10}
                    max={604_800}
                    allowDecimal={false}
                    value={timeoutSeconds}
                    onChange={setTimeoutSeconds}
                  />
                </SimpleGrid>
                <Checkbox
                  label="Don't wait for outside clients"
                  description="Rotate once the deployments are moved, even if clients outside Streamgate still use Token 1 (they are cut off)"
                  checked={force}
                  onChange={(e) => setForce(e.currentTarget.checked)}
                />
              </Stack>
            </Collapse>
          </div>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TokenSummary
            label="Token 1"
            token={token1}
            fate="will be deactivated"
            loadValue={loadValue?.token1}
          />
          <TokenSummary label="Token 2" token={token2} fate="becomes Token 1" loadValue={loadValue?.token2} />
        </SimpleGrid>
        <TextInput
          label={
            <>
              Type the workspace id <Code>{ws}</Code> to confirm
            </>
          }
          value={confirmation}
          onChange={(e) => setConfirmation(e.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          data-autofocus
        />
        {!etag && (
          <Alert color="red" title="Cannot rotate">
            The portal did not send the version of the token pair (ETag), so a safe rotation is not possible.
          </Alert>
        )}
        {etag && ifMatchLost && (
          <Alert color="red" title="Cannot rotate" role="alert">
            The portal did not receive the version of the token pair (the If-Match header), so nothing was
            changed. Something between your browser and the portal, such as a proxy, drops that header; a safe
            rotation is not possible until it passes it on.
          </Alert>
        )}
        {error && !lostRace && !ifMatchLost && (
          <ApiErrorAlert
            error={error}
            title="The tokens were not rotated"
            forbidden="Only Admins of this workspace can rotate streaming tokens."
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color="red" disabled={!confirmed || !etag} loading={pending}>
            {choice === 'rotate-only' ? 'Rotate tokens' : 'Start rotation'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Rotating the streaming tokens: the portal's verdict on Token 1, three ways to rotate side by
 * side, and once a run starts (or when one is already running) its steps, live, until it ends.
 */
export function RotateDialog({ ws, data, opened, onClose, canRotate }: Props) {
  const planQuery = useRotationPlan(ws, { enabled: opened });
  // The run shown: one started here, or the one under way when the dialog opened. Kept once it
  // ends (the plan then has no active run any more), so that its outcome stays on screen.
  const [runId, setRunId] = useState<string | null>(null);
  const activeRunId = planQuery.data?.plan.activeRun?.rotationId ?? null;
  if (opened && runId === null && activeRunId !== null) setRunId(activeRunId);

  const close = () => {
    setRunId(null);
    onClose();
  };

  let body: ReactNode;
  if (runId) {
    body = <RotationRunView ws={ws} rotationId={runId} canControl={canRotate} onClose={close} />;
  } else if (planQuery.isPending) {
    body = <PageLoader label="Loading the rotation plan" />;
  } else if (planQuery.isError) {
    body = (
      <ApiErrorAlert
        error={planQuery.error}
        title="Could not read the rotation plan"
        onRetry={() => planQuery.refetch()}
      />
    );
  } else {
    body = (
      <RotationForm
        ws={ws}
        data={data}
        plan={planQuery.data.plan}
        etag={planQuery.data.etag}
        onStarted={setRunId}
        onClose={close}
      />
    );
  }

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={
        <Title order={2} fz="h3">
          Rotating streaming tokens
        </Title>
      }
      size="xl"
    >
      {body}
    </Modal>
  );
}
