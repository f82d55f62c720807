import { Alert, Stack, Tabs, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertTriangle, IconEyeOff } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { hasStatus } from '../../api/api-error.ts';
import { useStreamingTokens, useStreamingTokenValues } from '../../api/streaming-tokens.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { CopyBlock } from '../../components/copy-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { PageLoader } from '../../components/page-loader.tsx';
import { useCurrentWorkspace } from '../shell/use-current-workspace.ts';
import { envLines, PYTHON_EXAMPLE, TYPESCRIPT_EXAMPLE } from './snippets.ts';

export function LocalDevPage() {
  const { ws } = useCurrentWorkspace();
  useDocumentTitle(`Local development · ${ws} · Streamgate`);
  const tokens = useStreamingTokens(ws);
  // This page exists to show the .env lines, so opening it reveals Token 2 (and is audited).
  const values = useStreamingTokenValues(ws, tokens.data?.tokens.canViewValues === true);

  let env: ReactNode;
  if (tokens.isPending || (tokens.data?.tokens.canViewValues && values.isPending)) {
    env = <PageLoader label="Loading the workspace token" />;
  } else if (tokens.isError && !hasStatus(tokens.error, 403)) {
    env = <ApiErrorAlert error={tokens.error} onRetry={() => tokens.refetch()} />;
  } else if (values.isError) {
    env = <ApiErrorAlert error={values.error} onRetry={() => values.refetch()} />;
  } else {
    const token = values.data?.token2 ?? null;
    env = (
      <Stack gap="sm">
        {token === null && (
          <Alert color="gray" icon={<IconEyeOff aria-hidden />} title="Token hidden for your role">
            Only the Admin, Manager and Editor roles may view token values. Ask one of them for Token 2, or
            use a personal access token of your own instead.
          </Alert>
        )}
        <CopyBlock
          value={envLines({ ws, token, origin: window.location.origin })}
          label=".env lines"
          testId="env-lines"
        />
        {token !== null && (
          <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} variant="light">
            This is Token 2, which never expires. Keep <code>.env</code> out of version control (add it to{' '}
            <code>.gitignore</code>).
          </Alert>
        )}
      </Stack>
    );
  }

  return (
    <>
      <PageHeader
        title="Local development"
        description="Run a service on your machine against this workspace: put these lines in a .env file next to it."
      />
      <Stack gap="xl">
        <section aria-labelledby="env-heading">
          <Title order={2} fz="h4" mb="sm" id="env-heading">
            Environment
          </Title>
          {env}
        </section>
        <section aria-labelledby="example-heading">
          <Title order={2} fz="h4" mb="xs" id="example-heading">
            A first producer
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            The clients read the three variables above and create the topic on first use.
          </Text>
          <Tabs defaultValue="typescript">
            <Tabs.List mb="sm">
              <Tabs.Tab value="typescript">TypeScript</Tabs.Tab>
              <Tabs.Tab value="python">Python</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="typescript">
              <CopyBlock value={TYPESCRIPT_EXAMPLE} label="TypeScript example" />
            </Tabs.Panel>
            <Tabs.Panel value="python">
              <CopyBlock value={PYTHON_EXAMPLE} label="Python example" />
            </Tabs.Panel>
          </Tabs>
        </section>
      </Stack>
    </>
  );
}
