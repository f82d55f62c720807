/**
 * The rotation rule, over the pair alone: Token 1 is deactivated, Token 2 takes its place,
 * a fresh token becomes Token 2, and deployments running with the deactivated token move to
 * the promoted one. No storage, no clock of its own: the rule computes the pair's new state,
 * and the store writes it as given, in one transaction that also checks the pair is still the
 * one the caller saw.
 */
export interface TokenRef {
  id: string;
}

export interface TokenPair<T extends TokenRef> {
  token1: T;
  token2: T;
}

/** Where a token stands: slot 1 or 2 while active, no slot once deactivated. */
export interface TokenState extends TokenRef {
  slot: 1 | 2 | null;
  deactivatedAt: Date | null;
}

/** The new state of a workspace's pair, for the store to write as it is. */
export interface PairRotation<T extends TokenState> {
  /** The active pair this was computed from: it holds only while that is still the active pair. */
  from: { token1: string; token2: string };
  /** The old Token 1: out of its slot. */
  deactivate: TokenState & { slot: null; deactivatedAt: Date };
  /** The old Token 2: now Token 1. */
  promote: TokenState & { slot: 1; deactivatedAt: null };
  /** The fresh token: the new Token 2, to insert. */
  create: T & { slot: 2; deactivatedAt: null };
  /** Deployments set to run with `from` run with `to` from now on, so none is left on a dead token. */
  moveDeployments: { from: string; to: string };
  at: Date;
}

export function planRotation<T extends TokenState>(
  current: TokenPair<TokenRef>,
  fresh: T,
  at: Date,
): PairRotation<T> {
  const { token1, token2 } = current;
  if (fresh.id === token1.id || fresh.id === token2.id) {
    throw new TypeError('The new Token 2 must be a new token');
  }
  return {
    from: { token1: token1.id, token2: token2.id },
    deactivate: { id: token1.id, slot: null, deactivatedAt: at },
    promote: { id: token2.id, slot: 1, deactivatedAt: null },
    create: { ...fresh, slot: 2, deactivatedAt: null },
    moveDeployments: { from: token1.id, to: token2.id },
    at,
  };
}

/** The name of a pair, used as its ETag: a rotation must name the pair it rotates. */
export function pairTag(pair: TokenPair<TokenRef>): string {
  return `${pair.token1.id}.${pair.token2.id}`;
}
