import type { RotationRun } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { runBlock } from '../rotation-progress.ts';
import { reportRun } from '../rotation-report.ts';
import { rotationPath, watchRotation } from '../rotation-watch.ts';

export const tokensRotationShow: Command = {
  path: ['tokens', 'rotation', 'show'],
  summary: 'A rotation run: its status, each step, the deployments moved and the clients waited for.',
  details: [
    'With --watch it follows the run until it ends, like tokens rotate does, with the same exit codes.',
  ],
  args: [
    { name: 'workspace', required: true },
    { name: 'rotationId', required: true },
  ],
  options: {
    watch: { type: 'boolean', short: 'w', description: 'Follow the run until it ends.' },
    detach: { type: 'boolean', description: 'With --watch: on Ctrl-C, just stop watching.' },
  },
  examples: [
    'streamgate-cli tokens rotation show acme rot-5Jx2',
    'streamgate-cli tokens rotation show acme rot-5Jx2 --watch',
  ],
  async run(context, { args, values }) {
    const [workspace, rotationId] = [args.workspace!, args.rotationId!];
    const api = await context.api();
    if (values.flag('watch')) {
      const watched = await watchRotation(context, api, workspace, rotationId, {
        detach: values.flag('detach'),
      });
      if (watched.kind === 'detached') {
        return context.json
          ? context.printJson(watched.run ?? { rotationId: watched.rotationId })
          : context.print(watched.rotationId);
      }
      return reportRun(context, watched.run);
    }
    const run = await api.get<RotationRun>(rotationPath(workspace, rotationId));
    if (context.json) return context.printJson(run);
    context.print(runBlock(run));
  },
};
