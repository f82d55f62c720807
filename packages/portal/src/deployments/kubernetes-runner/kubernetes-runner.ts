import type { V1Deployment, V1Secret } from '@kubernetes/client-node';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { PortalLogger } from '../../logger.ts';
import { serialTicks } from '../../scheduling/serial-ticks.ts';
import type {
  DeploymentObserved,
  DeploymentRecord,
  DeploymentStorage,
  TokenStorage,
} from '../../storage/storage.ts';
import { openVariables, tokenValueFor } from '../deployment-secrets.ts';
import type { DeploymentRunner } from '../runner.ts';
import { describeApiError, type KubernetesApi } from './kubernetes-api.ts';
import { followDeploymentLogs, readDeploymentLogs } from './kubernetes-logs.ts';
import {
  annotation,
  appliedMark,
  label,
  managedBy,
  objectNames,
  parseApplied,
  selectorFor,
  type WantedObjects,
  wantedObjects,
} from './kubernetes-manifests.ts';
import { looksDone, observeDeployment, rolledOut } from './kubernetes-observation.ts';

export interface KubernetesRunnerOptions {
  portalUrl: string;
  stopGraceMs: number;
  tickMs?: number;
}

/**
 * Runs deployments as apps/v1 Deployments (+ a Secret each) in one namespace. Like the ACL
 * reconciler it converges from storage on a timer and after every poke, holding nothing the
 * database and the cluster do not: each tick compares what Streamgate wants (a digest of the
 * objects it would write) with what it last wrote (the digest annotation on the Deployment),
 * writes only when they differ, and reads the pods back as the observed instances.
 *
 * What someone else changed is reported, not fought: a Deployment whose spec changed since
 * Streamgate's last write (its metadata.generation moved), or that was deleted, puts the
 * deployment in Error until a Streamgate action (restart, start, update) writes it again.
 * Stopping the portal leaves the workloads running: they belong to the cluster.
 */
export function createKubernetesRunner(deps: {
  store: DeploymentStorage & TokenStorage;
  box: SecretBox;
  clock: Clock;
  logger: PortalLogger;
  api: KubernetesApi;
  options: KubernetesRunnerOptions;
}): DeploymentRunner {
  const { store, box, clock, logger, api, options } = deps;
  const namespace = api.namespace;
  const written = new Map<string, string>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const wantedFor = async (deployment: DeploymentRecord): Promise<WantedObjects | string> => {
    if (!deployment.spec.image) return 'it has no image: set one (Kubernetes runs containers)';
    const token = await tokenValueFor(store, box, deployment);
    if (!token) return 'its streaming token is no longer active';
    return wantedObjects({
      deployment,
      namespace,
      token: token.value,
      variables: openVariables(box, deployment),
      secretVariableNames: Object.entries(deployment.spec.variables)
        .filter(([, variable]) => variable.secret)
        .map(([name]) => name),
      portalUrl: options.portalUrl,
      stopGraceSeconds: Math.ceil(options.stopGraceMs / 1000),
    });
  };

  const writeSecret = async (wanted: WantedObjects, existing: V1Secret | null) => {
    const kept = existing?.metadata?.annotations ?? {};
    const body: V1Secret = {
      ...wanted.secret,
      metadata: {
        ...wanted.secret.metadata,
        annotations: {
          ...wanted.secret.metadata?.annotations,
          // The mark of the last write stays until the next one: "deleted outside" needs it.
          ...(kept[annotation.applied] ? { [annotation.applied]: kept[annotation.applied]! } : {}),
          ...(kept[annotation.deploymentUid]
            ? { [annotation.deploymentUid]: kept[annotation.deploymentUid]! }
            : {}),
        },
        ...(existing ? { resourceVersion: existing.metadata?.resourceVersion } : {}),
      },
    };
    return existing ? api.replaceSecret(wanted.secret.metadata!.name!, body) : api.createSecret(body);
  };

  const markApplied = (secretName: string, digest: string, written: V1Deployment) =>
    api.patchSecret(secretName, {
      metadata: {
        annotations: {
          [annotation.applied]: appliedMark(digest, written.metadata!.generation!),
          [annotation.deploymentUid]: written.metadata!.uid!,
        },
      },
    });

  /** Writes the Secret, then the Deployment (its digest with its spec), then marks the write on the Secret. */
  const apply = async (wanted: WantedObjects, live: V1Deployment | null, secret: V1Secret | null) => {
    // The Secret first: pods of the new template must find the new token when they start.
    await writeSecret(wanted, secret);
    const annotations = { ...wanted.deployment.metadata?.annotations, [annotation.digest]: wanted.digest };
    const written = live
      ? await api.patchDeployment(wanted.deployment.metadata!.name!, {
          metadata: {
            resourceVersion: live.metadata?.resourceVersion,
            labels: wanted.deployment.metadata?.labels,
            annotations,
          },
          spec: wanted.deployment.spec,
        })
      : await api.createDeployment({
          ...wanted.deployment,
          metadata: { ...wanted.deployment.metadata, annotations },
        });
    await markApplied(wanted.secret.metadata!.name!, wanted.digest, written);
    return written;
  };

  /** Why the Deployment is left alone (changed or deleted outside Streamgate), or null after writing what is wanted. */
  const reconcile = async (
    deployment: DeploymentRecord,
    wanted: WantedObjects,
    live: V1Deployment | null,
    secret: V1Secret | null,
  ): Promise<{ live: V1Deployment | null; outside: string | null }> => {
    const names = objectNames(deployment);
    const where = `${namespace}/${names.deployment}`;
    const mark = parseApplied(secret?.metadata?.annotations?.[annotation.applied]);
    if (live && live.metadata?.labels?.[label.deploymentId] !== deployment.deploymentId)
      return {
        live,
        outside: `a Deployment ${where} exists that Streamgate did not make for this deployment; it is left alone`,
      };
    if (!live) {
      if (mark?.digest === wanted.digest && secret?.metadata?.annotations?.[annotation.deploymentUid])
        return {
          live,
          outside: `the Kubernetes Deployment ${where} was deleted outside Streamgate; restart this deployment to create it again`,
        };
      return { live: await apply(wanted, live, secret), outside: null };
    }
    if (live.metadata?.annotations?.[annotation.digest] !== wanted.digest)
      return { live: await apply(wanted, live, secret), outside: null };
    if (!secret)
      return {
        live,
        outside: `the Secret ${namespace}/${names.secret} was deleted outside Streamgate; restart this deployment to write it again`,
      };
    if (mark?.digest !== wanted.digest) {
      // The Deployment was written but the mark was not (the portal stopped in between).
      await markApplied(names.secret, wanted.digest, live);
      return { live, outside: null };
    }
    if (mark.generation !== live.metadata?.generation)
      return {
        live,
        outside: `the Kubernetes Deployment ${where} was changed outside Streamgate (generation ${live.metadata?.generation}, Streamgate wrote ${mark.generation}); restart this deployment to apply Streamgate's spec again`,
      };
    return { live, outside: null };
  };

  const converge = async (deployment: DeploymentRecord) => {
    const names = objectNames(deployment);
    const [found, secret] = await Promise.all([
      api.readDeployment(names.deployment),
      api.readSecret(names.secret),
    ]);
    const wanted = await wantedFor(deployment);
    const { live, outside } =
      typeof wanted === 'string'
        ? { live: found, outside: wanted }
        : await reconcile(deployment, wanted, found, secret);
    const pods = live ? await api.listPods(selectorFor(deployment.deploymentId)) : [];
    const observed = observeDeployment({
      record: deployment,
      live,
      pods,
      outside,
      nowMs: clock.now().getTime(),
    });
    // Pods can show a finished rollout a moment before the Deployment's status does; a rotation
    // run moves on when it reads "done", so "done" waits until Kubernetes says so too.
    if (!outside && live && looksDone(deployment, observed) && !rolledOut(live)) return;
    await persist(deployment, observed);
  };

  const persist = async (deployment: DeploymentRecord, observed: DeploymentObserved) => {
    const text = JSON.stringify(observed);
    if (written.get(deployment.deploymentId) === text) return;
    if (text === JSON.stringify(deployment.observed)) {
      written.set(deployment.deploymentId, text);
      return;
    }
    await store.recordDeploymentObserved(deployment.deploymentId, observed);
    written.set(deployment.deploymentId, text);
  };

  /** Objects of deployments that are gone from storage (a delete whose forget was lost). */
  const collect = async (present: Set<string>) => {
    const selector = `${label.managedBy}=${managedBy}`;
    const [deployments, secrets] = await Promise.all([
      api.listDeployments(selector),
      api.listSecrets(selector),
    ]);
    const ids = new Set(
      [...deployments, ...secrets]
        .map((object) => object.metadata?.labels?.[label.deploymentId])
        .filter((id): id is string => Boolean(id) && !present.has(id!)),
    );
    for (const deploymentId of ids) {
      const workspaceId = [...deployments, ...secrets].find(
        (object) => object.metadata?.labels?.[label.deploymentId] === deploymentId,
      )?.metadata?.annotations?.[annotation.workspaceId];
      // Read again: another portal instance may have created it after this tick listed storage.
      if (workspaceId && (await store.findDeployment(workspaceId, deploymentId))) continue;
      await forget(deploymentId);
    }
  };

  const forget = async (deploymentId: string) => {
    const selector = selectorFor(deploymentId);
    const [deployments, secrets] = await Promise.all([
      api.listDeployments(selector),
      api.listSecrets(selector),
    ]);
    for (const object of deployments) await api.deleteDeployment(object.metadata!.name!);
    for (const object of secrets) await api.deleteSecret(object.metadata!.name!);
    written.delete(deploymentId);
  };

  const tick = async () => {
    const deployments = await store.listDeployments(null);
    for (const deployment of deployments) {
      if (stopped) return;
      try {
        await converge(deployment);
      } catch (error) {
        logger.error(
          { deploymentId: deployment.deploymentId, error: describeApiError(error) },
          'kubernetes runner: converge failed',
        );
      }
    }
    await collect(new Set(deployments.map((d) => d.deploymentId))).catch((error: unknown) =>
      logger.warn(
        { error: describeApiError(error) },
        'kubernetes runner: clean-up of deleted deployments failed',
      ),
    );
  };

  const ticks = serialTicks(tick, {
    onError: (error) => logger.error({ error: describeApiError(error) }, 'kubernetes runner: tick failed'),
    mayRepeat: () => !stopped,
  });
  const runTick = ticks.run;

  return {
    kind: 'kubernetes',
    async start() {
      stopped = false;
      await runTick();
      timer = setInterval(() => void runTick(), options.tickMs ?? 1000);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await ticks.idle();
    },
    poke() {
      if (!stopped && timer) void runTick();
    },
    logs: (deployment, tail) => readDeploymentLogs(api, deployment, tail),
    followLogs: (deployment, tail, signal) => followDeploymentLogs(api, deployment, tail, signal),
    forget,
  };
}
