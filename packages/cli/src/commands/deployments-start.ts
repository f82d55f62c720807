import { deploymentAction } from '../deployment-action.ts';

export const deploymentsStart = deploymentAction('start', 'Start a stopped deployment (Editor and above).', [
  'It runs with the token it is set to (see TOKEN in deployments list) and the latest settings.',
]);
