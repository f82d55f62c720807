import { Select } from '@mantine/core';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useWorkspaces } from '../../api/workspaces.ts';

/** Switching workspace keeps the user on the same section (topics stay topics). */
export function WorkspaceSwitcher({ onSwitched }: { onSwitched?: () => void }) {
  const { ws } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const workspaces = useWorkspaces();

  const data = (workspaces.data ?? []).map((w) => ({
    value: w.workspaceId,
    label: w.name && w.name !== w.workspaceId ? `${w.name} (${w.workspaceId})` : w.workspaceId,
  }));

  const onChange = (value: string | null) => {
    if (!value || value === ws) return;
    const rest = ws ? location.pathname.slice(ws.length + 1) : '/settings/tokens';
    navigate(`/${value}${rest || '/settings/tokens'}`);
    onSwitched?.();
  };

  return (
    <Select
      label="Workspace"
      placeholder={workspaces.isPending ? 'Loading…' : 'No workspace'}
      data={data}
      value={ws ?? null}
      onChange={onChange}
      searchable={data.length > 6}
      allowDeselect={false}
      nothingFoundMessage="No workspace matches"
      disabled={data.length === 0}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
