import packageJson from '../package.json' with { type: 'json' };

export const cliVersion: string = packageJson.version;
/** Sent on every request, so that the portal can tell the CLI from other clients. */
export const userAgent = `streamgate-cli/${cliVersion} node/${process.versions.node}`;
