/**
 * Per connection, the streaming token last presented on it and that token's SHA-256.
 *
 * A keep-alive client sends the same Authorization header on every request. Recognising it, by
 * equality with what the same connection sent before, skips the checksum and the SHA-256 of
 * every request after the first. Nothing else is skipped: the token is still looked up by its
 * hash on every request, so a rotation refuses it on the very next one. The comparison is only
 * ever between two strings sent by the same peer, so its timing tells that peer nothing about
 * anyone else's token. An entry lives as long as its connection (a WeakMap key) and is dropped
 * the moment its token is refused.
 */
export interface PresentedTokenMemo {
  /** The hash of `presented` if it is exactly what this connection presented last time. */
  hashOf(connection: object, presented: string): string | undefined;
  remember(connection: object, presented: string, hash: string): void;
  forget(connection: object): void;
}

export function createPresentedTokenMemo(): PresentedTokenMemo {
  const byConnection = new WeakMap<object, { presented: string; hash: string }>();
  return {
    hashOf(connection, presented) {
      const last = byConnection.get(connection);
      return last !== undefined && last.presented === presented ? last.hash : undefined;
    },
    remember(connection, presented, hash) {
      byConnection.set(connection, { presented, hash });
    },
    forget(connection) {
      byConnection.delete(connection);
    },
  };
}
