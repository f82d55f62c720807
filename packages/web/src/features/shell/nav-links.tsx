import { NavLink, Stack, Text } from '@mantine/core';
import { IconCode, IconHistory, IconKey, IconListDetails, IconRocket, IconUsers } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { NavLink as RouterNavLink, useLocation } from 'react-router';

type Item = { to: string; label: string; icon: ReactNode };

function Link({ item, onNavigate }: { item: Item; onNavigate?: () => void }) {
  const { pathname } = useLocation();
  const active = pathname === item.to || pathname.startsWith(`${item.to}/`);
  return (
    <NavLink
      component={RouterNavLink}
      to={item.to}
      label={item.label}
      leftSection={item.icon}
      active={active}
      aria-current={active ? 'page' : undefined}
      onClick={onNavigate}
      style={{ borderRadius: 6 }}
    />
  );
}

export function NavLinks({ ws, onNavigate }: { ws: string; onNavigate?: () => void }) {
  const base = `/${ws}`;
  const main: Item[] = [
    { to: `${base}/topics`, label: 'Topics', icon: <IconListDetails size={18} aria-hidden /> },
    { to: `${base}/deployments`, label: 'Deployments', icon: <IconRocket size={18} aria-hidden /> },
    { to: `${base}/members`, label: 'Members', icon: <IconUsers size={18} aria-hidden /> },
    { to: `${base}/audit`, label: 'Audit log', icon: <IconHistory size={18} aria-hidden /> },
    { to: `${base}/local-development`, label: 'Local development', icon: <IconCode size={18} aria-hidden /> },
  ];
  const settings: Item[] = [
    { to: `${base}/settings/tokens`, label: 'APIs and tokens', icon: <IconKey size={18} aria-hidden /> },
  ];
  return (
    <Stack gap={2} component="nav" aria-label="Main">
      {main.map((item) => (
        <Link key={item.to} item={item} onNavigate={onNavigate} />
      ))}
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
        Settings
      </Text>
      {settings.map((item) => (
        <Link key={item.to} item={item} onNavigate={onNavigate} />
      ))}
    </Stack>
  );
}
