import type { Pool } from 'pg';
import type { Row } from '../rows.ts';
import { type Prepared, query } from './query.ts';

/** Keys read in one statement at most; more wait for the next one. */
const maxBatch = 256;

/**
 * Point reads by a key that every request makes (a token by its hash), coalesced: the keys asked
 * for while the event loop handles one batch of incoming requests go to the database together,
 * in one statement (`statement` takes the keys as `$1`, a text array, and returns `keyColumn`
 * with each row), once those requests are parsed. Under load that is one round trip for many
 * requests instead of one each; alone, a read waits for nothing but the end of its own turn of
 * the event loop.
 *
 * Nothing is remembered between batches: each read is sent after it was asked for, so it sees
 * every transaction committed before then (a rotation refuses the token on the very next request,
 * whichever instance it reaches).
 */
export function createBatchedLookup<T>(
  pool: Pool,
  statement: Prepared,
  keyColumn: string,
  toRecord: (row: Row) => T,
): (key: string) => Promise<T | null> {
  let waiting = new Map<string, { resolve: (value: T | null) => void; reject: (error: unknown) => void }[]>();
  let scheduled = false;

  const send = async (batch: typeof waiting) => {
    const keys = [...batch.keys()];
    try {
      const found = new Map<string, Row>();
      for (const row of await query(pool, statement, [keys])) found.set(String(row[keyColumn]), row);
      for (const [key, callers] of batch) {
        const row = found.get(key);
        // A record of its own for each caller: none can change what another one reads.
        for (const caller of callers) caller.resolve(row ? toRecord(row) : null);
      }
    } catch (error) {
      for (const callers of batch.values()) for (const caller of callers) caller.reject(error);
    }
  };

  const flush = () => {
    scheduled = false;
    while (waiting.size > 0) {
      let batch = waiting;
      if (waiting.size > maxBatch) {
        batch = new Map([...waiting].slice(0, maxBatch));
        for (const key of batch.keys()) waiting.delete(key);
      } else {
        waiting = new Map();
      }
      void send(batch);
    }
  };

  return (key) =>
    new Promise((resolve, reject) => {
      const callers = waiting.get(key);
      if (callers) callers.push({ resolve, reject });
      else waiting.set(key, [{ resolve, reject }]);
      if (!scheduled) {
        scheduled = true;
        // After the poll phase: every request whose bytes arrived in this turn has asked by then.
        setImmediate(flush);
      }
    });
}
