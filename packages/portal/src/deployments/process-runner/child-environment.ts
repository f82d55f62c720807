import type { DeploymentRecord } from '../../storage/storage.ts';

/**
 * The environment an instance starts with. Only a few harmless variables pass from the
 * portal's own environment: the portal holds the secret key, database and broker admin
 * credentials, and a service must never inherit them. The CA settings pass so that a service
 * trusts what the portal was told to trust (`./streamgate up --tls` sets them to its private CA).
 */
const passedThrough = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
] as const;

/** Marks the processes of one runner, so a restarted portal finds the ones it never recorded. */
export const runnerMarkerName = 'STREAMGATE_RUNNER_ID';

export function instanceEnvironment(input: {
  portalEnvironment: NodeJS.ProcessEnv;
  deployment: DeploymentRecord;
  replica: number;
  token: string;
  portalUrl: string;
  /** The deployment's variables, secrets already opened. */
  variables: Record<string, string>;
  runnerId: string;
}): Record<string, string> {
  const { deployment } = input;
  const env: Record<string, string> = {};
  for (const name of passedThrough) {
    const value = input.portalEnvironment[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, input.variables);
  // The platform's variables last: a deployment cannot override them (they are also refused on input).
  Object.assign(env, {
    Quix__Sdk__Token: input.token,
    Quix__Portal__Api: input.portalUrl,
    Quix__Workspace__Id: deployment.workspaceId,
    Quix__Deployment__Id: deployment.deploymentId,
    Quix__Deployment__Name: deployment.name,
    Quix__Deployment__ReplicaName: `${deployment.name}-${input.replica}`,
    [runnerMarkerName]: input.runnerId,
  });
  return env;
}
