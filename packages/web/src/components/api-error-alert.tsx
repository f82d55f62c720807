import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconLock, IconPlugConnectedX, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { isApiError } from '../api/api-error.ts';

type Props = {
  error: unknown;
  onRetry?: () => void;
  /** What a 403 means on this page, e.g. "Only Admins and Managers of this workspace can see members." */
  forbidden?: ReactNode;
  /** What a 503 means on this page. */
  unavailable?: ReactNode;
  title?: string;
};

/** Shows what the portal said, with its correlation id, and a way forward when there is one. */
export function ApiErrorAlert({ error, onRetry, forbidden, unavailable, title }: Props) {
  const apiError = isApiError(error) ? error : null;
  const status = apiError?.status ?? -1;
  const message = error instanceof Error ? error.message : 'Unexpected error.';

  let heading = title ?? 'Something went wrong';
  let explanation: ReactNode = null;
  let icon = <IconAlertTriangle aria-hidden />;
  let color = 'red';
  const retryable = onRetry && (status === 0 || status >= 500 || status === 429 || status === 409);

  if (status === 0) {
    heading = 'Cannot reach the portal';
    icon = <IconPlugConnectedX aria-hidden />;
    color = 'orange';
  } else if (status === 403) {
    heading = 'You do not have access';
    explanation = forbidden ?? 'Your role does not allow this. Ask an Admin of this workspace.';
    icon = <IconLock aria-hidden />;
    color = 'yellow';
  } else if (status === 503) {
    heading = 'Service unavailable';
    explanation = unavailable;
    color = 'orange';
  } else if (status === 404) {
    heading = 'Not found';
  }

  return (
    <Alert color={color} icon={icon} title={heading} role="alert" variant="light">
      <Stack gap="xs">
        {explanation && <Text size="sm">{explanation}</Text>}
        <Text size="sm">{message}</Text>
        {apiError?.correlationId && (
          <Text size="xs" c="dimmed">
            Correlation id <Code>{apiError.correlationId}</Code>
            {apiError.code && (
              <>
                {' '}
                · code <Code>{apiError.code}</Code>
              </>
            )}{' '}
            (quote it when you report this)
          </Text>
        )}
        {retryable && (
          <Group>
            <Button
              size="xs"
              variant="white"
              leftSection={<IconRefresh size={14} aria-hidden />}
              onClick={onRetry}
            >
              Retry
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}
