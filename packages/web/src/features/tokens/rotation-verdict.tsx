import { Alert, Badge, Group, List, Paper, Stack, Text } from '@mantine/core';
import type { RotationPlan } from '@streamgate/contract';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { ClientsTable } from './clients-table.tsx';
import { formatDuration } from './rotation-run-format.ts';

/**
 * The portal's verdict on Token 1, shown as the portal gives it: whether it is in use, why (its
 * summary), which deployments run on it and which outside clients used it in the quiet period.
 */
export function RotationVerdict({ plan }: { plan: RotationPlan }) {
  const inUse = plan.verdict === 'in-use';
  const quiet = formatDuration(plan.quietSeconds * 1000);
  return (
    <Alert
      color={inUse ? 'orange' : 'teal'}
      variant="light"
      icon={inUse ? <IconAlertTriangle aria-hidden /> : <IconCircleCheck aria-hidden />}
      title={inUse ? 'Token 1 is in use' : 'Token 1 is not in use'}
      role={inUse ? 'alert' : undefined}
      data-testid="rotation-verdict"
      data-verdict={plan.verdict}
    >
      <Stack gap="sm">
        <Text size="sm">{plan.summary}</Text>
        {plan.deploymentsOnToken1.length > 0 && (
          <Paper p="sm" radius="sm" c="var(--mantine-color-text)">
            <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={6}>
              Deployments on Token 1
            </Text>
            <List
              listStyleType="none"
              spacing={4}
              aria-label="Deployments on Token 1"
              data-testid="deployments-on-token-1"
            >
              {plan.deploymentsOnToken1.map((d) => (
                <List.Item key={d.deploymentId}>
                  <Group gap={6}>
                    <Text size="sm" fw={500}>
                      {d.name}
                    </Text>
                    <Badge size="sm" variant="light" color="gray">
                      {d.status}
                    </Badge>
                  </Group>
                </List.Item>
              ))}
            </List>
          </Paper>
        )}
        {plan.outsideClients.length > 0 && (
          <Paper p="sm" radius="sm" c="var(--mantine-color-text)">
            <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={6}>
              Outside clients that used Token 1 in the last {quiet}
            </Text>
            <ClientsTable clients={plan.outsideClients} caption="Outside clients still using Token 1" />
          </Paper>
        )}
      </Stack>
    </Alert>
  );
}
