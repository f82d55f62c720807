import { Avatar, Group, Menu, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconKey, IconLogout } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { logout } from '../../api/auth.ts';
import { useSession } from '../auth/use-session.ts';

function initials(name: string, email: string): string {
  const source = name.trim() || email;
  const parts = source.split(/[\s@.]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

export function UserMenu() {
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { ws } = useParams();
  const user = session.data?.user;
  if (!user) return null;

  const onLogout = async () => {
    try {
      await logout();
    } finally {
      queryClient.clear();
      navigate('/login', { replace: true });
    }
  };

  return (
    <Menu position="bottom-end" width={240} withArrow>
      <Menu.Target>
        <UnstyledButton style={{ borderRadius: 8 }} p={4}>
          <Group gap={8} wrap="nowrap">
            <Avatar color="blue" radius="xl" size={32} aria-hidden>
              {initials(user.name, user.email)}
            </Avatar>
            <VisuallyHidden>Account menu of</VisuallyHidden>
            <Text size="sm" fw={500} visibleFrom="sm" maw={180} truncate>
              {user.name || user.email}
            </Text>
            <VisuallyHidden hiddenFrom="sm">{user.name || user.email}</VisuallyHidden>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={500} c="dark" truncate>
            {user.email}
          </Text>
          <Text size="xs">Organisation role: {user.role}</Text>
        </Menu.Label>
        <Menu.Divider />
        {ws && (
          <Menu.Item
            leftSection={<IconKey size={16} aria-hidden />}
            onClick={() => navigate(`/${ws}/settings/tokens/personal`)}
          >
            Personal access tokens
          </Menu.Item>
        )}
        <Menu.Item color="red" leftSection={<IconLogout size={16} aria-hidden />} onClick={onLogout}>
          Log out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
