import { Client } from 'pg';

/** Drops a test database (connections still open are ended), for clusters shared by a whole run. */
export async function dropDatabase(superuserUrl: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new TypeError(`not a plain database name: ${name}`);
  const client = new Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
