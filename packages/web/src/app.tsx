import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { isApiError } from './api/api-error.ts';
import { setCsrfToken, setUnauthorizedHandler } from './api/client.ts';
import { BASENAME, createRouter } from './router.tsx';
import { theme } from './theme.ts';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // Retry only when nothing answered; an answer (403, 503, ...) is shown as it is.
      retry: (failures, error) => isApiError(error) && error.isNetwork && failures < 2,
    },
  },
});

const router = createRouter();

// A 401 anywhere means the session ended (expired, logged out elsewhere): log in again, then
// come back to the same page.
setUnauthorizedHandler(() => {
  const { search } = router.state.location;
  // The router's location keeps the basename; navigate() wants a path inside it.
  const pathname = router.state.location.pathname.replace(new RegExp(`^${BASENAME}(?=/|$)`), '') || '/';
  setCsrfToken(null);
  if (pathname === '/login') return;
  void router.navigate(`/login?next=${encodeURIComponent(pathname + search)}`, { replace: true }).then(() => {
    queryClient.clear();
  });
});

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <DatesProvider settings={{ firstDayOfWeek: 1 }}>
        <Notifications position="bottom-right" />
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  );
}
