import {
  Alert,
  Button,
  Code,
  Group,
  List,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { hasStatus } from '../../api/api-error.ts';
import { streamingTokensKey, useRotateStreamingTokens } from '../../api/streaming-tokens.ts';
import type { StreamingToken, StreamingTokensWithEtag } from '../../api/types.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { mask, SecretField } from '../../components/secret-field.tsx';
import { ClientsTable } from './clients-table.tsx';
import { RECENT_USE_DAYS, recentClientsOf, usageOf } from './token-usage.ts';
import { useTokenValueLoader } from './use-token-value-loader.ts';

type Props = { ws: string; data: StreamingTokensWithEtag; opened: boolean; onClose: () => void };

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

function Token1Usage({ token }: { token: StreamingToken }) {
  const usage = usageOf(token);
  if (usage === 'active' || usage === 'recent') {
    const clients = recentClientsOf(token);
    return (
      <Alert
        color={usage === 'active' ? 'red' : 'orange'}
        variant={usage === 'active' ? 'filled' : 'light'}
        icon={<IconAlertTriangle aria-hidden />}
        title={
          usage === 'active' ? 'Token 1 is in use' : `Token 1 was used in the last ${RECENT_USE_DAYS} days`
        }
        role="alert"
      >
        <Text size="sm" mb="xs">
          Token 1 was last used <RelativeTime value={token.lastUsedAt} />.{' '}
          {usage === 'active'
            ? 'These clients will be refused as soon as you rotate, until they are given the new token:'
            : 'If these clients still run, they will be refused after the rotation:'}
        </Text>
        <Paper p="sm" radius="sm" c="var(--mantine-color-text)">
          <ClientsTable clients={clients} caption="Clients that break when Token 1 is deactivated" />
        </Paper>
      </Alert>
    );
  }
  if (usage === 'idle') {
    return (
      <Alert
        color="teal"
        icon={<IconCircleCheck aria-hidden />}
        title="Safe to rotate: Token 1 is not in use"
      >
        Nothing used Token 1 in the last {RECENT_USE_DAYS} days (last use{' '}
        <RelativeTime value={token.lastUsedAt} />
        ). Only a job that runs less often than that could still depend on it.
      </Alert>
    );
  }
  return (
    <Alert
      color="teal"
      icon={<IconCircleCheck aria-hidden />}
      title="Safe to rotate: Token 1 has never been used"
    >
      Nothing has ever used Token 1, so rotating breaks nothing.
    </Alert>
  );
}

export function RotateDialog({ ws, data, opened, onClose }: Props) {
  const queryClient = useQueryClient();
  const rotate = useRotateStreamingTokens(ws);
  const [confirmation, setConfirmation] = useState('');
  const [lostRace, setLostRace] = useState(false);
  const { token1, token2 } = data.tokens;
  const loadValue = useTokenValueLoader(ws, data.tokens);
  const confirmed = confirmation.trim() === ws;

  const close = () => {
    setConfirmation('');
    setLostRace(false);
    rotate.reset();
    onClose();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!confirmed || !data.etag) return;
    setLostRace(false);
    rotate.mutate(data.etag, {
      onSuccess: () => {
        notifications.show({
          color: 'teal',
          title: 'Streaming tokens rotated',
          message:
            'The old Token 1 no longer works. The former Token 2 is now Token 1, and there is a new Token 2.',
        });
        close();
      },
      onError: (error) => {
        if (hasStatus(error, 409) || hasStatus(error, 412)) {
          // Someone rotated first: show the pair as it is now and ask again.
          setLostRace(true);
          setConfirmation('');
          void queryClient.invalidateQueries({ queryKey: streamingTokensKey(ws) });
        }
      },
    });
  };

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
      fullScreen={false}
    >
      <form onSubmit={onSubmit}>
        <Stack gap="md">
          {lostRace && (
            <Alert
              color="orange"
              icon={<IconInfoCircle aria-hidden />}
              title="Someone else rotated first"
              role="alert"
            >
              The tokens were rotated by someone else while this dialog was open, so nothing was changed now.
              The tokens below have been refreshed: check them, and confirm again if you still want to rotate.
            </Alert>
          )}
          <div>
            <Text fw={600} mb={4}>
              What happens when you rotate
            </Text>
            <List type="ordered" size="sm" spacing={4}>
              <List.Item>
                <b>Token 1 is deactivated</b> at once. Every service that still uses it is refused by the API
                and by the broker.
              </List.Item>
              <List.Item>
                <b>Token 2 takes its place</b> and becomes Token 1. Services that use it keep working.
              </List.Item>
              <List.Item>
                <b>A new Token 2 is generated.</b>
              </List.Item>
            </List>
          </div>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TokenSummary
              label="Token 1"
              token={token1}
              fate="will be deactivated"
              loadValue={loadValue?.token1}
            />
            <TokenSummary
              label="Token 2"
              token={token2}
              fate="becomes Token 1"
              loadValue={loadValue?.token2}
            />
          </SimpleGrid>
          <Token1Usage token={token1} />
          <div>
            <Text fw={600} mb={4}>
              Two ways to rotate
            </Text>
            <List size="sm" spacing={6}>
              <List.Item>
                <b>Restart with the new token:</b> rotate now, then set <Code>Quix__Sdk__Token</Code> of every
                service that used Token 1 to the new Token 1 (the former Token 2) and restart them. They are
                down until they restart.
              </List.Item>
              <List.Item>
                <b>Zero downtime:</b> first move every service to Token 2 and restart them one by one; when
                Token 1 shows no recent use, rotate. Nothing breaks.
              </List.Item>
            </List>
          </div>
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
          {!data.etag && (
            <Alert color="red" title="Cannot rotate">
              The portal did not send the version of the token pair (ETag), so a safe rotation is not
              possible.
            </Alert>
          )}
          {rotate.isError && !lostRace && (
            <ApiErrorAlert
              error={rotate.error}
              title="The tokens were not rotated"
              forbidden="Only Admins of this workspace can rotate streaming tokens."
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={!confirmed || !data.etag} loading={rotate.isPending}>
              Rotate tokens
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
