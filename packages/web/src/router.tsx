import { createBrowserRouter, Navigate } from 'react-router';
import { AuditPage } from './features/audit/audit-page.tsx';
import { LoginPage } from './features/auth/login-page.tsx';
import { RequireAuth } from './features/auth/require-auth.tsx';
import { DeploymentLogsPage } from './features/deployments/deployment-logs-page.tsx';
import { DeploymentsPage } from './features/deployments/deployments-page.tsx';
import { LocalDevPage } from './features/local-dev/local-dev-page.tsx';
import { MembersPage } from './features/members/members-page.tsx';
import { AppLayout } from './features/shell/app-layout.tsx';
import { HomeRedirect } from './features/shell/home-redirect.tsx';
import { NotFoundPage } from './features/shell/not-found-page.tsx';
import { WorkspaceGuard } from './features/shell/workspace-guard.tsx';
import { ApiTokensPage } from './features/tokens/api-tokens-page.tsx';
import { TopicsPage } from './features/topics/topics-page.tsx';

export const BASENAME = '/ui';

export function createRouter() {
  return createBrowserRouter(
    [
      { path: 'login', element: <LoginPage /> },
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppLayout />,
            children: [
              { index: true, element: <HomeRedirect /> },
              {
                path: ':ws',
                element: <WorkspaceGuard />,
                children: [
                  { index: true, element: <Navigate to="settings/tokens" replace /> },
                  { path: 'topics', element: <TopicsPage /> },
                  { path: 'deployments', element: <DeploymentsPage /> },
                  { path: 'deployments/:deploymentId/logs', element: <DeploymentLogsPage /> },
                  { path: 'members', element: <MembersPage /> },
                  { path: 'audit', element: <AuditPage /> },
                  { path: 'local-development', element: <LocalDevPage /> },
                  { path: 'settings', element: <Navigate to="tokens" replace /> },
                  { path: 'settings/tokens', element: <ApiTokensPage tab="streaming" /> },
                  { path: 'settings/tokens/personal', element: <ApiTokensPage tab="personal" /> },
                  { path: '*', element: <NotFoundPage /> },
                ],
              },
            ],
          },
        ],
      },
    ],
    { basename: BASENAME },
  );
}
