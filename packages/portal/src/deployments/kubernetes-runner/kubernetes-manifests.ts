import { createHash } from 'node:crypto';
import type { V1Deployment, V1EnvVar, V1Secret } from '@kubernetes/client-node';
import type { DeploymentRecord } from '../../storage/storage.ts';

/**
 * The Kubernetes objects a deployment should be, computed with no I/O (like broker/acl-plan.ts):
 * an apps/v1 Deployment and a Secret holding the platform's variables, the streaming token
 * among them. The token is only ever in the Secret; the Deployment names it through envFrom.
 */
export const label = {
  managedBy: 'app.kubernetes.io/managed-by',
  name: 'app.kubernetes.io/name',
  workspace: 'streamgate.io/workspace',
  deploymentId: 'streamgate.io/deployment-id',
} as const;

export const annotation = {
  workspaceId: 'streamgate.io/workspace-id',
  /** On the pod template: which token, restart generation and spec its pods run with. */
  tokenId: 'streamgate.io/token-id',
  generation: 'streamgate.io/generation',
  specVersion: 'streamgate.io/spec-version',
  /** On the Deployment, written with its spec: the digest of what Streamgate wrote. */
  digest: 'streamgate.io/digest',
  /**
   * On the Secret: "<digest> <metadata.generation>" after Streamgate's last write of the
   * Deployment, and that Deployment's uid. Not on the Deployment: any change of a Deployment's
   * annotations moves its generation, which would then never match.
   */
  applied: 'streamgate.io/applied',
  deploymentUid: 'streamgate.io/deployment-uid',
} as const;

export const managedBy = 'streamgate';
export const containerName = 'service';

const digestOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** Kubernetes names are lowercase; deployment ids are not, so the id goes in as a hash. */
export function objectNames(deployment: Pick<DeploymentRecord, 'deploymentId' | 'name'>): {
  deployment: string;
  secret: string;
} {
  const suffix = digestOf(deployment.deploymentId).slice(0, 10);
  const base = `${deployment.name.slice(0, 40).replace(/-+$/, '')}-${suffix}`;
  return { deployment: base, secret: `${base}-env` };
}

export function selectorFor(deploymentId: string): string {
  return `${label.deploymentId}=${deploymentId}`;
}

/** A label value: at most 63 characters, alphanumeric at both ends (the annotation keeps the whole id). */
const labelValue = (value: string) => value.slice(0, 63).replace(/[^A-Za-z0-9]+$/, '');

export interface WantedObjects {
  deployment: V1Deployment;
  secret: V1Secret;
  /** Names everything Streamgate decides (not the token's value): equal digests, nothing to write. */
  digest: string;
}

export function wantedObjects(input: {
  deployment: DeploymentRecord;
  namespace: string;
  /** The streaming token's value and the deployment's variables, secrets opened. */
  token: string;
  variables: Record<string, string>;
  secretVariableNames: readonly string[];
  portalUrl: string;
  stopGraceSeconds: number;
}): WantedObjects {
  const { deployment: d, namespace } = input;
  const names = objectNames(d);
  const labels = {
    [label.managedBy]: managedBy,
    [label.name]: d.name,
    [label.workspace]: labelValue(d.workspaceId),
    [label.deploymentId]: d.deploymentId,
  };
  const metadata = {
    namespace,
    labels,
    annotations: { [annotation.workspaceId]: d.workspaceId },
  };
  const secretNames = new Set(input.secretVariableNames);
  const secretData: Record<string, string> = {};
  const plain: V1EnvVar[] = [];
  for (const [name, value] of Object.entries(input.variables).sort(([a], [b]) => a.localeCompare(b))) {
    if (secretNames.has(name)) secretData[name] = value;
    else plain.push({ name, value });
  }
  // The platform's variables: a deployment cannot set Quix__ names (refused on input).
  Object.assign(secretData, {
    Quix__Sdk__Token: input.token,
    Quix__Portal__Api: input.portalUrl,
    Quix__Workspace__Id: d.workspaceId,
    Quix__Deployment__Id: d.deploymentId,
    Quix__Deployment__Name: d.name,
  });
  // Pods of a Deployment have no replica index; each is named by its pod name instead.
  plain.push({
    name: 'Quix__Deployment__ReplicaName',
    valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
  });

  const deployment: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { ...metadata, name: names.deployment },
    spec: {
      replicas: d.desiredState === 'running' ? d.spec.replicas : 0,
      selector: { matchLabels: { [label.deploymentId]: d.deploymentId } },
      // A new pod is ready before an old one stops: the rolling rule of every runner.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      revisionHistoryLimit: 3,
      template: {
        metadata: {
          labels,
          annotations: {
            [annotation.tokenId]: d.tokenId,
            [annotation.generation]: String(d.generation),
            [annotation.specVersion]: String(d.specVersion),
          },
        },
        spec: {
          // The service needs no Kubernetes API access; it gets no service-account token.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: input.stopGraceSeconds,
          containers: [
            {
              name: containerName,
              image: d.spec.image ?? '',
              command: d.spec.command,
              ...(d.spec.workingDirectory ? { workingDir: d.spec.workingDirectory } : {}),
              envFrom: [{ secretRef: { name: names.secret } }],
              env: plain,
            },
          ],
        },
      },
    },
  };
  const secret: V1Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { ...metadata, name: names.secret },
    type: 'Opaque',
    stringData: secretData,
  };
  const digest = digestOf({
    spec: deployment.spec,
    metadata: deployment.metadata,
    secretKeys: Object.keys(secretData).sort(),
    // What changes a value in the Secret without changing the spec above.
    portalUrl: input.portalUrl,
    secretVersion: [d.tokenId, d.specVersion],
  });
  return { deployment, secret, digest };
}

export function appliedMark(digest: string, generation: number): string {
  return `${digest} ${generation}`;
}

export function parseApplied(value: string | undefined): { digest: string; generation: number } | null {
  const match = /^([0-9a-f]{64}) (\d+)$/.exec(value ?? '');
  return match ? { digest: match[1]!, generation: Number(match[2]) } : null;
}
