/**
 * The rotation rule, over the pair alone: Token 1 is deactivated, Token 2 takes its place,
 * and a fresh Token 2 is generated. No storage, no clock of its own: the service runs it
 * inside one transaction that also checks the pair is still the one the caller saw.
 */
export interface TokenRef {
  id: string;
}

export interface TokenPair<T extends TokenRef> {
  token1: T;
  token2: T;
}

export interface RotationPlan<T extends TokenRef> {
  deactivate: T;
  promote: T;
  next: TokenPair<T>;
}

export function planRotation<T extends TokenRef>(current: TokenPair<T>, freshToken2: T): RotationPlan<T> {
  if (freshToken2.id === current.token1.id || freshToken2.id === current.token2.id) {
    throw new TypeError('The new Token 2 must be a new token');
  }
  return {
    deactivate: current.token1,
    promote: current.token2,
    next: { token1: current.token2, token2: freshToken2 },
  };
}

/** The name of a pair, used as its ETag: a rotation must name the pair it rotates. */
export function pairTag(pair: TokenPair<TokenRef>): string {
  return `${pair.token1.id}.${pair.token2.id}`;
}

/** Accepts `"tag"`, `W/"tag"` and a bare tag, as HTTP clients vary. */
export function parseIfMatch(header: string | undefined): string | null {
  if (header === undefined) return null;
  const trimmed = header.trim();
  if (trimmed === '') return null;
  const match = /^(?:W\/)?"([^"]*)"$/.exec(trimmed);
  return match ? match[1]! : trimmed;
}
