import { type AuditPage, auditActions } from '@streamgate/contract';
import type { Command } from '../command.ts';
import { ApiError } from '../errors.ts';
import { formatDate, renderTable } from '../format.ts';

export const auditList: Command = {
  path: ['audit'],
  summary: 'The audit log, newest first (Admins: an organisation Admin sees all, a workspace Admin its own).',
  details: [`Actions: ${auditActions.join(', ')}.`],
  args: [],
  options: {
    workspace: { type: 'string', placeholder: '<ws>', description: 'Only entries of this workspace.' },
    actor: { type: 'string', placeholder: '<email|user id>', description: 'Only entries by this actor.' },
    action: { type: 'string', placeholder: '<action>', description: 'Only this action.' },
    limit: {
      type: 'string',
      placeholder: '<n>',
      description: 'At most this many entries, 1 to 200 (default 50).',
    },
    before: {
      type: 'string',
      placeholder: '<entry id>',
      description: 'Older than this entry (the next page).',
    },
  },
  examples: [
    'streamgate-cli audit --workspace acme --action streaming_tokens.rotate',
    'streamgate-cli audit --actor admin@example.com --limit 20 --json',
  ],
  async run(context, { values }) {
    const query = {
      workspaceId: values.string('workspace'),
      actor: values.string('actor'),
      action: values.string('action'),
      limit: values.integer('limit', { min: 1, max: 200 })?.toString(),
      before: values.string('before'),
    };
    const page = await (await context.api()).get<AuditPage>('/audit', query).catch((error: unknown) => {
      // The portal's schema message ("querystring.action must be equal to one of the allowed
      // values") does not say which values.
      if (error instanceof ApiError && error.status === 400 && error.message.includes('.action ')) {
        throw error.explained(`--action takes one of: ${auditActions.join(', ')}.`);
      }
      throw error;
    });
    if (context.json) return context.printJson(page);
    if (page.entries.length === 0) context.print('No audit entries match.');
    else {
      context.print(
        renderTable(
          ['AT', 'ACTION', 'ACTOR', 'WORKSPACE', 'TARGET', 'ADDRESS'],
          page.entries.map((entry) => [
            formatDate(entry.at),
            entry.action,
            entry.actor.label,
            entry.workspaceId ?? '-',
            entry.target ?? '-',
            entry.address ?? '-',
          ]),
        ),
      );
    }
    if (page.nextBefore) context.note(`More entries: add --before ${page.nextBefore}`);
  },
};
