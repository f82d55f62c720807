export type { Command, CommandContext, Io } from './command.ts';
export { commands } from './command-list.ts';
export * from './errors.ts';
export { main } from './main.ts';
export { cliVersion } from './version.ts';
