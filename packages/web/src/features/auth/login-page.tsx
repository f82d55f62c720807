import {
  Alert,
  Box,
  Button,
  Center,
  Code,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../api/api-error.ts';
import { login, sessionKey } from '../../api/auth.ts';
import { Logo } from '../shell/logo.tsx';
import { useSession } from './use-session.ts';

/** Only paths inside the app are accepted as a place to go back to. */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function loginErrorText(error: unknown): string {
  if (!isApiError(error)) return 'Unexpected error. Try again.';
  if (error.status === 401) return 'Wrong email or password.';
  if (error.status === 429) return 'Too many attempts. Wait a minute, then try again.';
  return error.message;
}

export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  useEffect(() => {
    document.title = 'Log in · Streamgate';
  }, []);

  const mutation = useMutation({
    mutationFn: () => login(email.trim(), password),
    onSuccess: (data) => {
      queryClient.setQueryData(sessionKey, data);
      navigate(next, { replace: true });
    },
  });

  if (session.isSuccess && !mutation.isPending) return <Navigate to={next} replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  const error = mutation.error;

  return (
    <Center mih="100vh" p="md" bg="gray.0" component="main">
      <Box w="100%" maw={400}>
        <Center mb="lg">
          <Logo />
        </Center>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <form onSubmit={onSubmit}>
            <Stack>
              <Title order={1} fz="h3">
                Log in to the Portal
              </Title>
              {error && (
                <Alert
                  color="red"
                  icon={<IconAlertTriangle aria-hidden />}
                  role="alert"
                  title="Could not log in"
                >
                  <Text size="sm">{loginErrorText(error)}</Text>
                  {isApiError(error) && error.correlationId && error.status !== 401 && (
                    <Text size="xs" c="dimmed" mt={4}>
                      Correlation id <Code>{error.correlationId}</Code>
                    </Text>
                  )}
                </Alert>
              )}
              <TextInput
                label="Email"
                type="email"
                autoComplete="username"
                required
                autoFocus
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
              <PasswordInput
                label="Password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              <Button type="submit" loading={mutation.isPending} fullWidth>
                Log in
              </Button>
              <Text size="xs" c="dimmed">
                Scripts and services do not log in here: they use a personal access token or a workspace
                streaming token.
              </Text>
            </Stack>
          </form>
        </Paper>
      </Box>
    </Center>
  );
}
