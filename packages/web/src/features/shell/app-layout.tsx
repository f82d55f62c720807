import { AppShell, Box, Burger, Button, Divider, Group, ScrollArea, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { Outlet, useParams } from 'react-router';
import { useSession } from '../auth/use-session.ts';
import { CreateWorkspaceDialog } from './create-workspace-dialog.tsx';
import { Logo } from './logo.tsx';
import { NavLinks } from './nav-links.tsx';
import { UserMenu } from './user-menu.tsx';
import { WorkspaceSwitcher } from './workspace-switcher.tsx';

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { ws } = useParams();
  const isAdmin = useSession().data?.user.role === 'Admin';
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  // On phones the collapsed navigation is only moved off screen: keep it out of the tab order.
  const phone = useMediaQuery('(max-width: 47.99em)');

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 260, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <AppShell.Header>
        <a href="#main-content" className="skip-link">
          Skip to content
        </a>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={opened}
              aria-controls="main-navigation"
            />
            <Logo />
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="md" id="main-navigation" aria-label="Navigation" inert={phone && !opened}>
        <AppShell.Section>
          <WorkspaceSwitcher onSwitched={close} />
          {isAdmin && (
            <Button
              variant="subtle"
              size="xs"
              mt={6}
              px={4}
              leftSection={<IconPlus size={14} aria-hidden />}
              onClick={openCreate}
            >
              New workspace
            </Button>
          )}
        </AppShell.Section>
        <Divider my="md" />
        <AppShell.Section grow component={ScrollArea}>
          {ws ? (
            <NavLinks ws={ws} onNavigate={close} />
          ) : (
            <Text size="sm" c="dimmed">
              Pick a workspace to see its topics, tokens and members.
            </Text>
          )}
        </AppShell.Section>
      </AppShell.Navbar>
      <CreateWorkspaceDialog opened={creating} onClose={closeCreate} />
      <AppShell.Main>
        <Box maw={1100} mx="auto" id="main-content" tabIndex={-1} style={{ outline: 'none' }}>
          <Outlet />
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
