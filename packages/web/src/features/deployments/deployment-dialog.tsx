import {
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { createDeploymentBody, type Deployment, deploymentNamePattern } from '@streamgate/contract';
import { type FormEvent, useState } from 'react';
import { useCreateDeployment, useUpdateDeployment } from '../../api/deployments.ts';
import { ApiErrorAlert } from '../../components/api-error-alert.tsx';
import { formatCommandLine, splitCommandLine } from './command-line.ts';
import { rowsOf, type VariableRow, variableProblems, variablesPayload } from './variables.ts';
import { VariablesEditor } from './variables-editor.tsx';

const NAME_PATTERN = new RegExp(deploymentNamePattern);
const { command: commandSchema, replicas: replicasSchema } = createDeploymentBody.properties;
const MAX_ARGS = commandSchema.maxItems;
const MAX_ARG_LENGTH = commandSchema.items.maxLength;

type TokenSlot = NonNullable<Deployment['tokenSlot']>;

type Props = {
  ws: string;
  /** The deployment to edit; absent to create one. */
  deployment?: Deployment;
  onClose: () => void;
};

/** Shows how the line was split, so that nobody has to guess what the quotes did. */
function ArgvPreview({ args }: { args: string[] }) {
  if (args.length === 0) return null;
  return (
    <Group gap={6} aria-label="The command as arguments" role="list" data-testid="argv-preview">
      {args.map((arg, i) => (
        <Badge
          // biome-ignore lint/suspicious/noArrayIndexKey: the position is what identifies an argument
          key={i}
          role="listitem"
          variant="light"
          color={i === 0 ? 'blue' : 'gray'}
          tt="none"
          radius="sm"
          size="lg"
          fw={400}
          ff="monospace"
          styles={{
            label: { whiteSpace: 'pre', overflow: 'hidden', textOverflow: 'ellipsis', maxWidth: 460 },
          }}
          title={arg}
        >
          <Text span size="xs" c="dimmed" mr={4}>
            {i}
          </Text>
          {arg === '' ? '(empty)' : arg}
        </Badge>
      ))}
    </Group>
  );
}

function commandProblem(parsed: ReturnType<typeof splitCommandLine>): string | null {
  if ('error' in parsed) return parsed.error;
  if (parsed.args.length === 0 || parsed.args[0] === '') return 'Give the program to run';
  if (parsed.args.length > MAX_ARGS) return `Up to ${MAX_ARGS} arguments`;
  if (parsed.args.some((a) => a.length > MAX_ARG_LENGTH))
    return `Each argument up to ${MAX_ARG_LENGTH} characters`;
  return null;
}

/** Create a deployment, or change one (applied at its next start). */
export function DeploymentDialog({ ws, deployment, onClose }: Props) {
  const editing = deployment !== undefined;
  const create = useCreateDeployment(ws);
  const update = useUpdateDeployment(ws);
  const mutation = editing ? update : create;
  const [name, setName] = useState(deployment?.name ?? '');
  const [commandLine, setCommandLine] = useState(deployment ? formatCommandLine(deployment.command) : '');
  const [workingDirectory, setWorkingDirectory] = useState(deployment?.workingDirectory ?? '');
  const [image, setImage] = useState(deployment?.image ?? '');
  const [replicas, setReplicas] = useState<number | string>(deployment?.replicas ?? 1);
  const [tokenSlot, setTokenSlot] = useState<TokenSlot>(deployment?.tokenSlot ?? 1);
  const [rows, setRows] = useState<VariableRow[]>(() => (deployment ? rowsOf(deployment.variables) : []));
  const [start, setStart] = useState(true);
  const [submitted, setSubmitted] = useState(false);

  const parsed = splitCommandLine(commandLine);
  const args = 'args' in parsed ? parsed.args : [];
  const problems = variableProblems(rows);
  const errors = {
    name: !editing && !NAME_PATTERN.test(name) ? 'Lowercase letters, digits and "-", up to 63' : null,
    command: commandProblem(parsed),
    workingDirectory:
      workingDirectory.trim() && !workingDirectory.trim().startsWith('/') ? 'An absolute path (/…)' : null,
    replicas:
      typeof replicas === 'number' &&
      Number.isInteger(replicas) &&
      replicas >= replicasSchema.minimum &&
      replicas <= replicasSchema.maximum
        ? null
        : `From ${replicasSchema.minimum} to ${replicasSchema.maximum}`,
  };
  const valid = !errors.name && !errors.command && !errors.workingDirectory && !errors.replicas;
  const shown = (error: string | null) => (submitted ? error : null);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!valid || problems.size > 0) return;
    const fields = {
      command: args,
      image: image.trim() || null,
      workingDirectory: workingDirectory.trim() || null,
      replicas: Number(replicas),
      // An unchanged slot is not sent: the deployment stays on the token it runs with.
      ...(deployment && deployment.tokenSlot === tokenSlot ? {} : { tokenSlot }),
      variables: variablesPayload(rows),
    };
    const done = (saved: Deployment) => {
      notifications.show({
        color: 'teal',
        title: editing ? 'Deployment changed' : 'Deployment created',
        message: editing
          ? `${saved.name}: the changes apply at its next start.`
          : `${saved.name} is ${saved.status.toLowerCase()}.`,
      });
      onClose();
    };
    if (deployment) update.mutate({ id: deployment.deploymentId, changes: fields }, { onSuccess: done });
    else create.mutate({ name, ...fields, start }, { onSuccess: done });
  };

  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={
        <Title order={2} fz="h3">
          {deployment ? `Edit ${deployment.name}` : 'Create a deployment'}
        </Title>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          {!editing && (
            <TextInput
              label="Name"
              description="Unique in the workspace; it cannot change later"
              placeholder="orders-producer"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={shown(errors.name)}
              required
              maxLength={63}
              spellCheck={false}
              autoComplete="off"
              data-autofocus
            />
          )}
          <Stack gap={6}>
            <Textarea
              label="Command"
              description={
                <>
                  Run directly, not through a shell: split into arguments at spaces; quote an argument that
                  contains spaces with <code>'…'</code> or <code>"…"</code>. The arguments are shown below.
                </>
              }
              placeholder={`node -e "setInterval(() => console.log('tick'), 1000)"`}
              value={commandLine}
              onChange={(e) => setCommandLine(e.currentTarget.value)}
              error={commandLine || submitted ? errors.command : null}
              required
              autosize
              minRows={1}
              maxRows={6}
              spellCheck={false}
              autoComplete="off"
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              data-autofocus={editing || undefined}
            />
            <ArgvPreview args={args} />
          </Stack>
          <TextInput
            label="Container image"
            description="What it runs in when deployments run on Kubernetes; the process runner ignores it"
            placeholder="registry.example/orders:1.4"
            value={image}
            onChange={(e) => setImage(e.currentTarget.value)}
            spellCheck={false}
            autoComplete="off"
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Working directory"
              description="An absolute path; empty for the runner's default"
              placeholder="/srv/orders"
              value={workingDirectory}
              onChange={(e) => setWorkingDirectory(e.currentTarget.value)}
              error={shown(errors.workingDirectory)}
              spellCheck={false}
              autoComplete="off"
            />
            <NumberInput
              label="Replicas"
              description={`Instances that run at once (${replicasSchema.minimum} to ${replicasSchema.maximum})`}
              min={replicasSchema.minimum}
              max={replicasSchema.maximum}
              allowDecimal={false}
              value={replicas}
              onChange={setReplicas}
              error={shown(errors.replicas)}
            />
          </SimpleGrid>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="token-slot-label">
              Streaming token
            </Text>
            <Text size="xs" c="dimmed" id="token-slot-description">
              Given to the service as <code>Quix__Sdk__Token</code>. A rotation moves it for you; Token 2
              survives the next rotation.
            </Text>
            <SegmentedControl
              aria-labelledby="token-slot-label"
              aria-describedby="token-slot-description"
              value={String(tokenSlot)}
              onChange={(v) => setTokenSlot(v === '2' ? 2 : 1)}
              data={[
                { value: '1', label: 'Token 1' },
                { value: '2', label: 'Token 2' },
              ]}
              style={{ alignSelf: 'flex-start' }}
            />
          </Stack>
          <VariablesEditor rows={rows} onChange={setRows} problems={submitted ? problems : new Map()} />
          {!editing && (
            <Checkbox
              label="Start it now"
              checked={start}
              onChange={(e) => setStart(e.currentTarget.checked)}
            />
          )}
          {editing && (
            <Text size="sm" c="dimmed">
              Changes apply at the next start: restart the deployment to use them now.
            </Text>
          )}
          {mutation.isError && (
            <ApiErrorAlert
              error={mutation.error}
              title={editing ? 'The deployment was not changed' : 'The deployment was not created'}
              forbidden="Only Managers and Admins of this workspace can create or change deployments."
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {editing ? 'Save changes' : 'Create deployment'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
