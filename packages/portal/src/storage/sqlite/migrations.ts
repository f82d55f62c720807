/** SQLite schema, in order. Each entry runs once, recorded in schema_migrations. */
export const sqliteMigrations: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  organisation_role TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE workspaces (
  workspace_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE workspace_roles (
  workspace_id TEXT NOT NULL REFERENCES workspaces(workspace_id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);
CREATE TABLE streaming_tokens (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(workspace_id) ON DELETE CASCADE,
  slot INTEGER CHECK (slot IN (1, 2)),
  token_hash TEXT NOT NULL UNIQUE,
  sealed_value TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  deactivated_at INTEGER
);
CREATE UNIQUE INDEX streaming_tokens_active_slot ON streaming_tokens (workspace_id, slot) WHERE slot IS NOT NULL;
CREATE TABLE token_usage (
  token_id TEXT NOT NULL REFERENCES streaming_tokens(id) ON DELETE CASCADE,
  client_key TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  address TEXT NOT NULL,
  deployment_id TEXT,
  last_used_at INTEGER NOT NULL,
  PRIMARY KEY (token_id, client_key)
);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE pats (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  workspaces TEXT,
  read_only INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX pats_user ON pats (user_id);
CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  purpose TEXT NOT NULL,
  algorithm TEXT NOT NULL,
  sealed_private_key TEXT NOT NULL,
  public_jwk TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  retired_at INTEGER
);
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_id TEXT,
  actor_label TEXT NOT NULL,
  action TEXT NOT NULL,
  workspace_id TEXT,
  target TEXT,
  details TEXT NOT NULL,
  address TEXT
);
CREATE INDEX audit_log_workspace ON audit_log (workspace_id, id);
CREATE TABLE topics (
  workspace_id TEXT NOT NULL REFERENCES workspaces(workspace_id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  kafka_name TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  last_error TEXT,
  configuration TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, name)
);
`,
  },
  {
    version: 2,
    sql: `
CREATE TABLE deployments (
  deployment_id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(workspace_id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  spec TEXT NOT NULL,
  spec_version INTEGER NOT NULL,
  desired_state TEXT NOT NULL,
  token_id TEXT NOT NULL,
  generation INTEGER NOT NULL,
  observed TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE INDEX deployments_token ON deployments (token_id);
CREATE TABLE rotation_runs (
  rotation_id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(workspace_id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX rotation_runs_one_running ON rotation_runs (workspace_id) WHERE status = 'running';
CREATE INDEX rotation_runs_workspace ON rotation_runs (workspace_id, created_at);
`,
  },
  {
    // Security hardening (issue 10): a disabled user cannot log in, and its sessions and PATs
    // are ended in the same transaction that disables it.
    version: 3,
    sql: `
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
`,
  },
  {
    // Security hardening (issue 10): a deleted workspace's Kafka data (topics, groups,
    // transactional ids) is purged at the broker, retried until gone; its id stays reserved
    // while a row is here.
    version: 4,
    sql: `
CREATE TABLE workspace_purges (
  workspace_id TEXT PRIMARY KEY,
  requested_at INTEGER NOT NULL,
  report TEXT,
  updated_at INTEGER NOT NULL
);
`,
  },
];
