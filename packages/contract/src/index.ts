/**
 * The Streamgate Portal API, described once. Each route's JSON schemas (params, query, body,
 * every answer) live here; the portal registers its routes with them (so they are also its
 * OpenAPI document), and the TypeScript types the web UI, the CLI and the client use are
 * derived from the same schemas. Constants that callers must agree on live here too.
 */
export * from './audit.ts';
export * from './auth.ts';
export * from './broker-access.ts';
export * from './deployments.ts';
export * from './http.ts';
export * from './ids.ts';
export * from './operations.ts';
export * from './pats.ts';
export * from './roles.ts';
export * from './rotation-runs.ts';
export * from './signing-keys.ts';
export * from './streaming-tokens.ts';
export * from './topics.ts';
export * from './users.ts';
export * from './workspaces.ts';
