import {
  Alert,
  Button,
  Group,
  Modal,
  MultiSelect,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import type { CreatedPersonalAccessToken } from '@streamgate/contract';
import { IconAlertTriangle } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { type FormEvent, useState } from 'react';
import { useCreatePat } from '../../api/pats.ts';
import { useWorkspaces } from '../../api/workspaces.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { CopyAction } from '../../components/copy-action.tsx';
import { formatDateTime } from '../../components/relative-time.tsx';
import { EXPIRY_PRESETS, type ExpiryChoice, expiryFor, maxCustomDate } from './pat-expiry.ts';

function CreatedToken({ pat, onDone }: { pat: CreatedPersonalAccessToken; onDone: () => void }) {
  return (
    <Stack>
      <Alert
        color="orange"
        icon={<IconAlertTriangle aria-hidden />}
        title="Copy it now: you won't see it again"
        role="status"
      >
        The portal keeps no copy of this token. If you lose it, revoke it and generate a new one.
      </Alert>
      <Text size="sm">
        <b>{pat.name}</b> expires {formatDateTime(pat.expiresAt)}
        {pat.readOnly ? ', read-only' : ''}
        {pat.workspaces ? `, only for ${pat.workspaces.join(', ')}` : ', for all your workspaces'}.
      </Text>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <TextInput
          readOnly
          value={pat.token}
          aria-label="New personal access token"
          data-testid="new-pat-value"
          style={{ flex: 1 }}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyAction value={pat.token} label="Copy the new token" variant="button" />
      </Group>
      <Text size="sm" c="dimmed">
        Use it as <code>Authorization: Bearer &lt;token&gt;</code> against the Portal API.
      </Text>
      <Group justify="flex-end">
        <Button onClick={onDone}>I have copied it</Button>
      </Group>
    </Stack>
  );
}

export function CreatePatDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreatePat();
  const workspaces = useWorkspaces();
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>('30');
  const [customDate, setCustomDate] = useState<string | null>(null);
  const [narrowTo, setNarrowTo] = useState<string[]>([]);
  const [readOnly, setReadOnly] = useState(false);
  const [submitted, setSubmitted] = useState(false);

  const expiresAt = expiryFor(expiry, customDate);
  const nameError = submitted && !name.trim() ? 'Give the token a name, e.g. the script that uses it' : null;
  const dateError =
    submitted && expiry === 'custom' && !expiresAt ? 'Pick a date within the next year' : null;

  const close = () => {
    setName('');
    setExpiry('30');
    setCustomDate(null);
    setNarrowTo([]);
    setReadOnly(false);
    setSubmitted(false);
    create.reset();
    onClose();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!name.trim() || !expiresAt) return;
    create.mutate({
      name: name.trim(),
      expiresAt,
      ...(narrowTo.length > 0 ? { workspaces: narrowTo } : {}),
      readOnly,
    });
  };

  const created = create.data;
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={
        <Title order={2} fz="h3">
          {created ? 'Token generated' : 'Generate a personal access token'}
        </Title>
      }
      size="lg"
      closeOnClickOutside={!created}
    >
      {created ? (
        <CreatedToken pat={created} onDone={close} />
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Stack>
            <TextInput
              label="Name"
              description="What uses it, so that you know what breaks when you revoke it"
              placeholder="e.g. nightly-export script"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={nameError}
              required
              maxLength={100}
              data-autofocus
            />
            <Stack gap={6}>
              <Text size="sm" fw={500} id="pat-expiry-label">
                Expires in
              </Text>
              <SegmentedControl
                aria-labelledby="pat-expiry-label"
                data={EXPIRY_PRESETS.map((p) => ({ value: p.value, label: p.label }))}
                value={expiry}
                onChange={(v) => setExpiry(v as ExpiryChoice)}
                fullWidth
                styles={{ root: { flexWrap: 'wrap' } }}
              />
              {expiry === 'custom' ? (
                <DateInput
                  label="Expiry date"
                  description="At most one year from today; the token expires at the end of that day"
                  placeholder="Pick a date"
                  value={customDate}
                  onChange={setCustomDate}
                  minDate={dayjs().add(1, 'day').format('YYYY-MM-DD')}
                  maxDate={dayjs(maxCustomDate()).format('YYYY-MM-DD')}
                  valueFormat="D MMMM YYYY"
                  hideOutsideDates
                  weekendDays={[]}
                  ariaLabels={{
                    nextMonth: 'Next month',
                    previousMonth: 'Previous month',
                    nextYear: 'Next year',
                    previousYear: 'Previous year',
                    nextDecade: 'Next decade',
                    previousDecade: 'Previous decade',
                  }}
                  error={dateError}
                  clearable
                />
              ) : (
                expiresAt && (
                  <Text size="xs" c="dimmed">
                    Expires {formatDateTime(expiresAt)}
                  </Text>
                )
              )}
            </Stack>
            <MultiSelect
              label="Workspaces"
              description="Leave empty for all the workspaces you can access (now and later)"
              placeholder={narrowTo.length ? undefined : 'All my workspaces'}
              data={(workspaces.data ?? []).map((w) => ({ value: w.workspaceId, label: w.workspaceId }))}
              value={narrowTo}
              onChange={setNarrowTo}
              searchable
              clearable
              comboboxProps={{ withinPortal: true }}
            />
            <Switch
              label="Read-only"
              description="The token can read but not change anything"
              checked={readOnly}
              onChange={(e) => setReadOnly(e.currentTarget.checked)}
            />
            {create.isError && <ApiErrorAlert error={create.error} title="Could not generate the token" />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Generate token
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
