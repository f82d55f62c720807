import { Badge, Group, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import type { RotationPlan } from '@streamgate/contract';
import { formatDuration, MODE_TITLES } from './rotation-run-format.ts';

export type RotationChoice = RotationPlan['recommendedMode'];

const CHOICES: RotationChoice[] = ['zero-downtime', 'restart-deployments', 'rotate-only'];

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

function describe(choice: RotationChoice, plan: RotationPlan, quietSeconds: number): string {
  const n = plan.deploymentsOnToken1.length;
  const deployments = plural(n, 'deployment');
  const quiet = formatDuration(quietSeconds * 1000);
  switch (choice) {
    case 'zero-downtime':
      return n > 0
        ? `Moves the ${deployments} on Token 1 to Token 2 one at a time (each new instance runs before the old one stops), waits until nothing has used Token 1 for ${quiet}, then rotates. Nothing is cut off.`
        : `No deployment runs on Token 1. Waits until nothing has used Token 1 for ${quiet}, then rotates. Nothing is cut off.`;
    case 'restart-deployments':
      return n > 0
        ? `Rotates now, then restarts the ${deployments} on the old Token 1 with the new Token 1. They are down while they restart; outside clients still on Token 1 are refused.`
        : 'Rotates now; no deployment runs on Token 1, so none is restarted. Outside clients still on Token 1 are refused.';
    default:
      return n > 0
        ? `Rotates now. The ${deployments} on Token 1 are restarted with the new Token 1 as soon as the runner sees it (down meanwhile, not waited for or reported); outside clients still on Token 1 are refused.`
        : 'Rotates now. Any client still on Token 1 is refused until it gets the new token.';
  }
}

/** The three ways to rotate, side by side; the portal's recommendation is marked. */
export function RotationModePicker({
  plan,
  value,
  onChange,
  quietSeconds,
}: {
  plan: RotationPlan;
  /** The quiet period the run would use (the plan's default unless changed). */
  quietSeconds: number;
  value: RotationChoice;
  onChange: (choice: RotationChoice) => void;
}) {
  return (
    <Radio.Group
      value={value}
      onChange={(v) => onChange(v as RotationChoice)}
      label="How to rotate"
      labelProps={{ fw: 600, mb: 6 }}
    >
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        {CHOICES.map((choice) => (
          <Radio.Card
            key={choice}
            value={choice}
            radius="md"
            p="sm"
            aria-label={MODE_TITLES[choice]}
            aria-describedby={`rotation-mode-${choice}`}
            style={{ height: '100%' }}
          >
            <Stack gap={6}>
              <Group gap={8} wrap="nowrap" align="flex-start">
                <Radio.Indicator mt={2} />
                <Stack gap={4}>
                  <Text fw={600} size="sm" lh={1.3}>
                    {MODE_TITLES[choice]}
                  </Text>
                  {choice === plan.recommendedMode && (
                    <Badge size="xs" variant="light" color="teal">
                      Recommended
                    </Badge>
                  )}
                </Stack>
              </Group>
              <Text size="xs" c="dimmed" id={`rotation-mode-${choice}`}>
                {describe(choice, plan, quietSeconds)}
              </Text>
            </Stack>
          </Radio.Card>
        ))}
      </SimpleGrid>
    </Radio.Group>
  );
}
