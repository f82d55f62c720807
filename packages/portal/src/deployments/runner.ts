import type { DeploymentRecord } from '../storage/storage.ts';

/**
 * Makes the deployments in storage so: starts, replaces and stops their instances and writes
 * what it sees back (DeploymentStorage.recordDeploymentObserved). Like the ACL reconciler it
 * converges from storage, so a crash or restart of the portal loses nothing: storage holds the
 * wanted state and the instances last seen. The process runner and (later) the Kubernetes
 * runner implement it and pass one contract suite.
 *
 * Rolling rule, the same for every runner: an instance is current when it runs with the
 * deployment's token and generation; a replica without a current instance gets one, and older
 * instances of that replica stop only once it is ready.
 */
export interface DeploymentRunner {
  readonly kind: 'process' | 'kubernetes';
  /** Adopts or clears what a previous portal left, then converges on a timer. */
  start(): Promise<void>;
  /** Stops converging; with `stopDeployments`, stops every instance first (keeping the wanted state). */
  stop(options?: { stopDeployments?: boolean }): Promise<void>;
  /** Something changed in storage: converge now rather than at the next tick. */
  poke(): void;
  /** The last `tail` lines the deployment's instances wrote (stdout and stderr together). */
  logs(deployment: DeploymentRecord, tail: number): Promise<string>;
  /** The last `tail` lines, then every new line as it is written, until `signal` aborts. */
  followLogs(deployment: DeploymentRecord, tail: number, signal: AbortSignal): AsyncIterable<string>;
  /** A deleted deployment (it has no instances left): drop what the runner kept for it. */
  forget(deploymentId: string): Promise<void>;
}
