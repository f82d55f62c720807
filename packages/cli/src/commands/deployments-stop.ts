import { deploymentAction } from '../deployment-action.ts';

export const deploymentsStop = deploymentAction(
  'stop',
  'Stop a deployment: SIGTERM, then SIGKILL after a grace period (Editor and above).',
  ['It stays stopped, also across portal restarts, until deployments start.'],
);
