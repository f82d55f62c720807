import type { SecretBox } from '../crypto/secret-box.ts';
import type { DeploymentRecord, TokenStorage } from '../storage/storage.ts';

/**
 * The two secrets an instance needs in plain text at start: its streaming token and the
 * variables marked secret. Both are sealed at rest; the associated data ties each ciphertext to
 * its row and name, so a sealed value copied elsewhere does not open.
 */
const variableContext = (deploymentId: string, name: string) => `deployment-variable:${deploymentId}:${name}`;

export function sealVariable(box: SecretBox, deploymentId: string, name: string, value: string): string {
  return box.seal(value, variableContext(deploymentId, name));
}

export function openVariables(box: SecretBox, deployment: DeploymentRecord): Record<string, string> {
  const opened: Record<string, string> = {};
  for (const [name, variable] of Object.entries(deployment.spec.variables)) {
    opened[name] = variable.secret
      ? box.open(variable.value, variableContext(deployment.deploymentId, name))
      : variable.value;
  }
  return opened;
}

/** The deployment's token in plain text, with its slot; null when it is not active (never expected). */
export async function tokenValueFor(
  store: Pick<TokenStorage, 'activeTokenPair'>,
  box: SecretBox,
  deployment: DeploymentRecord,
): Promise<{ value: string; slot: 1 | 2 } | null> {
  const pair = await store.activeTokenPair(deployment.workspaceId);
  if (!pair) return null;
  const token = [pair.token1, pair.token2].find((candidate) => candidate.id === deployment.tokenId);
  if (!token || token.slot === null) return null;
  return {
    value: box.open(token.sealedValue, `streaming-token:${token.workspaceId}:${token.id}`),
    slot: token.slot,
  };
}
