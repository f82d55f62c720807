import type { Deployment } from '@streamgate/contract';
import { formatDate, relativeTime, renderFields, renderTable } from './format.ts';

/** `Token 1`, `Token 2` or `deactivated` (its token was rotated out), and whether it must restart. */
export function deploymentToken(deployment: Deployment): string {
  const slot = deployment.tokenSlot === null ? 'deactivated' : `Token ${deployment.tokenSlot}`;
  return deployment.restartRequired ? `${slot}, restart required` : slot;
}

/** `exit code 1, 3 minutes ago`, `SIGTERM, just now`; `-` when it never exited. */
export function lastExit(deployment: Deployment, now: Date): string {
  const exit = deployment.lastExit;
  if (!exit) return '-';
  const how = exit.signal ?? (exit.code === null ? 'exited' : `exit code ${exit.code}`);
  return `${how}, ${relativeTime(exit.at, now)}`;
}

export function deploymentTable(deployments: readonly Deployment[], now: Date): string {
  return renderTable(
    ['NAME', 'STATUS', 'TOKEN', 'READY', 'RESTARTS', 'LAST EXIT'],
    deployments.map((deployment) => [
      deployment.name,
      deployment.status,
      deploymentToken(deployment),
      `${deployment.replicasReady}/${deployment.replicas}`,
      String(deployment.restartCount),
      lastExit(deployment, now),
    ]),
  );
}

/** A word as a POSIX shell would need it quoted, so a command line can be copied back. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Every field worth reading; secret variables by name only. */
export function deploymentFields(deployment: Deployment, now: Date): string {
  const variables = Object.entries(deployment.variables).map(([name, variable]) =>
    variable.secret ? `${name}=(secret)` : `${name}=${variable.value ?? ''}`,
  );
  const status = deployment.statusDetail
    ? `${deployment.status} (${deployment.statusDetail})`
    : deployment.status;
  return renderFields([
    ['Name', deployment.name],
    ['ID', deployment.deploymentId],
    ['Status', `${status}; wanted ${deployment.desiredState}`],
    ['Token', `${deploymentToken(deployment)} (${deployment.tokenId})`],
    ['Running with', deployment.runningTokenIds.join(', ') || '-'],
    ['Ready', `${deployment.replicasReady}/${deployment.replicas}`],
    ['Restarts', String(deployment.restartCount)],
    ['Last exit', lastExit(deployment, now)],
    ['Command', deployment.command.map(shellWord).join(' ')],
    ...(deployment.image ? ([['Image', deployment.image]] as [string, string][]) : []),
    ['Working dir', deployment.workingDirectory ?? '-'],
    ['Variables', variables.length === 0 ? '-' : variables.join(`\n${' '.repeat(14)}`)],
    ['Created', formatDate(deployment.createdAt)],
    ['Updated', formatDate(deployment.updatedAt)],
  ]);
}

/**
 * The deployment for --json, with any value of a secret variable dropped: the portal never sends
 * one, and the CLI does not pass one on should it ever do.
 */
export function deploymentJson(deployment: Deployment): Deployment {
  const variables = Object.fromEntries(
    Object.entries(deployment.variables).map(([name, { value, secret }]) => [
      name,
      secret ? { secret } : { value, secret },
    ]),
  );
  return { ...deployment, variables };
}
