import type { RotationRun } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { runBlock } from '../rotation-progress.ts';
import { rotationPath } from '../rotation-watch.ts';

export const tokensRotationCancel: Command = {
  path: ['tokens', 'rotation', 'cancel'],
  summary: 'Cancel a rotation run before it rotates (Admin); what it already moved stays on Token 2.',
  details: [
    'A run that has already rotated cannot be cancelled (the portal answers 409). Both tokens stay valid.',
  ],
  args: [
    { name: 'workspace', required: true },
    { name: 'rotationId', required: true },
  ],
  options: {},
  examples: ['streamgate-cli tokens rotation cancel acme rot-5Jx2'],
  async run(context, { args }) {
    const [workspace, rotationId] = [args.workspace!, args.rotationId!];
    const { body: run } = await (await context.api()).request<RotationRun>(
      'POST',
      `${rotationPath(workspace, rotationId)}/cancel`,
    );
    if (context.json) return context.printJson(run);
    context.print(runBlock(run));
    if (run.status === 'running') {
      context.note(
        `The run stops at its next step: streamgate-cli tokens rotation show ${workspace} ${rotationId} --watch`,
      );
    }
  },
};
