import { Container } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { hasStatus } from '../../api/api-error.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { PageLoader } from '../../components/page-loader.tsx';
import { useSession } from './use-session.ts';

/** Everything below needs a session; without one, go to the login and come back afterwards. */
export function RequireAuth() {
  const session = useSession();
  const location = useLocation();

  if (session.isPending) return <PageLoader label="Checking your session" />;
  if (session.isError) {
    if (hasStatus(session.error, 401)) {
      const next = `${location.pathname}${location.search}`;
      return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
    }
    return (
      <Container size="sm" py="xl">
        <ApiErrorAlert error={session.error} onRetry={() => session.refetch()} />
      </Container>
    );
  }
  return <Outlet />;
}
