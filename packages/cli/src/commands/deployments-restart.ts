import { deploymentAction } from '../deployment-action.ts';

export const deploymentsRestart = deploymentAction(
  'restart',
  'Restart a deployment with its current token and settings (Editor and above).',
  ['This is how changes made with deployments update, or a token rotated out, take effect.'],
);
