import type { RotationPlan } from '@streamgate/contract';
import { renderTable } from './format.ts';
import { clientTable } from './token-usage.ts';

export type RotateMode = RotationPlan['recommendedMode'];

export const modeFlags: Record<RotateMode, string> = {
  'zero-downtime': '--zero-downtime',
  'restart-deployments': '--restart-deployments',
  'rotate-only': 'rotating only (no flag)',
};

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');

/**
 * What the chosen way will do, then the portal's verdict on Token 1 as it gives it: the
 * verdict, its one-sentence summary, the deployments on Token 1 and the outside clients.
 */
export function describePlan(
  plan: RotationPlan,
  mode: RotateMode,
  now: Date,
  options: { quietSeconds?: number; force: boolean },
): string {
  const { token1, token2 } = plan;
  const rotate = `Token 1 (${token1.id}) is deactivated, Token 2 (${token2.id}) becomes Token 1, a new Token 2 is generated.`;
  const quiet = options.quietSeconds ?? plan.quietSeconds;
  const lines: string[] = [];
  if (mode === 'zero-downtime') {
    lines.push(
      `Rotating the streaming tokens of workspace '${plan.workspaceId}' with zero downtime:`,
      '  1. Move the deployments on Token 1 to Token 2, one at a time: each new instance runs before the old one stops.',
      options.force
        ? `  2. Wait until no deployment runs on Token 1 (--force: outside clients are not waited for).`
        : `  2. Wait until Token 1 is quiet: no deployment on it and no use of it for ${quiet} s.`,
      `  3. Rotate: ${rotate}`,
      'A run that cannot finish stops before step 3, with both tokens still valid.',
    );
  } else if (mode === 'restart-deployments') {
    lines.push(
      `Rotating the streaming tokens of workspace '${plan.workspaceId}', then restarting its deployments:`,
      `  1. Rotate: ${rotate}`,
      '  2. Restart every deployment that was on Token 1 onto the new Token 1 (each is down while it restarts).',
    );
  } else {
    lines.push(
      `Rotating the streaming tokens of workspace '${plan.workspaceId}':`,
      `  - Token 1 (${token1.id}) is deactivated: services still using it lose access within seconds.`,
      `  - Token 2 (${token2.id}) becomes Token 1: services using it keep working.`,
      '  - A new Token 2 is generated.',
    );
  }

  const inUse = plan.verdict === 'in-use';
  const warning = inUse && mode !== 'zero-downtime' ? 'WARNING: ' : '';
  lines.push('', `${warning}The portal's verdict on Token 1: ${plan.verdict}. ${plan.summary}`);
  if (plan.deploymentsOnToken1.length > 0) {
    const fate = {
      'zero-downtime': 'they will be moved to Token 2',
      'restart-deployments': 'they will be restarted on the new Token 1',
      'rotate-only': 'they are restarted on the new Token 1 by the runner, down meanwhile, not waited for',
    }[mode];
    lines.push(
      `Deployments on Token 1 (${fate}):`,
      indent(
        renderTable(
          ['NAME', 'ID', 'STATUS'],
          plan.deploymentsOnToken1.map((deployment) => [
            deployment.name,
            deployment.deploymentId,
            deployment.status,
          ]),
        ),
      ),
    );
  }
  if (plan.outsideClients.length > 0) {
    const fate =
      mode === 'zero-downtime' && !options.force
        ? 'the run waits until they stop'
        : 'they lose access within seconds';
    lines.push(
      `Outside clients still using Token 1 in the last ${plan.quietSeconds} s (${fate}):`,
      clientTable(plan.outsideClients, now),
    );
  }
  if (plan.deploymentsOnToken2.length > 0) {
    const names = plan.deploymentsOnToken2.map((deployment) => deployment.name).join(', ');
    lines.push(`Already on Token 2, not affected: ${names}.`);
  }
  if (plan.recommendedMode !== mode) {
    lines.push(`The portal recommends ${modeFlags[plan.recommendedMode]} for this workspace now.`);
  }
  return lines.join('\n');
}
