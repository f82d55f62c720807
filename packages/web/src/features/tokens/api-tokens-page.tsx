import { Tabs } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { useCurrentWorkspace } from '../shell/use-current-workspace.ts';
import { PersonalTokensTab } from './personal-tokens-tab.tsx';
import { StreamingTokensTab } from './streaming-tokens-tab.tsx';

type Tab = 'streaming' | 'personal';

export function ApiTokensPage({ tab }: { tab: Tab }) {
  const { ws } = useCurrentWorkspace();
  const navigate = useNavigate();
  useDocumentTitle(`APIs and tokens · ${ws} · Streamgate`);

  const onChange = (value: string | null) => {
    navigate(value === 'personal' ? `/${ws}/settings/tokens/personal` : `/${ws}/settings/tokens`);
  };

  return (
    <>
      <PageHeader
        title="APIs and tokens"
        description={
          <>
            The Portal API is at <code>{window.location.origin}</code>.
          </>
        }
      />
      <Tabs value={tab} onChange={onChange} keepMounted={false}>
        <Tabs.List mb="lg">
          <Tabs.Tab value="streaming">Streaming Tokens</Tabs.Tab>
          <Tabs.Tab value="personal">Personal Access Tokens</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="streaming">
          <StreamingTokensTab />
        </Tabs.Panel>
        <Tabs.Panel value="personal">
          <PersonalTokensTab />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
