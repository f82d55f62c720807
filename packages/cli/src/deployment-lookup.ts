import type { Deployment } from '@streamgate/contract';
import { NotFoundError } from './errors.ts';
import { apiPath, type PortalApi } from './portal-api.ts';

/**
 * A deployment by its id (`dep-...`) or its name, both unique in the workspace: people remember
 * names, scripts keep ids. The API addresses deployments by id only.
 */
export async function findDeployment(api: PortalApi, workspace: string, ref: string): Promise<Deployment> {
  const deployments = await api.get<Deployment[]>(apiPath`/workspaces/${workspace}/deployments`);
  const match =
    deployments.find((deployment) => deployment.deploymentId === ref) ??
    deployments.find((deployment) => deployment.name === ref);
  if (!match) {
    throw new NotFoundError(
      `No deployment '${ref}' in workspace '${workspace}' (see: streamgate-cli deployments list ${workspace}).`,
    );
  }
  return match;
}

export const deploymentPath = (workspace: string, deployment: Deployment) =>
  apiPath`/workspaces/${workspace}/deployments/${deployment.deploymentId}`;
