import type { FastifyRequest } from 'fastify';
import { PreconditionRequiredError } from '../errors.ts';

/** The tag an `If-Match` header names: `"tag"`, `W/"tag"` or a bare tag, as HTTP clients vary. */
export function parseIfMatch(header: string | undefined): string | null {
  if (header === undefined) return null;
  const trimmed = header.trim();
  if (trimmed === '') return null;
  const match = /^(?:W\/)?"([^"]*)"$/.exec(trimmed);
  return match ? match[1]! : trimmed;
}

/**
 * The token pair a rotating caller saw, from its `If-Match`: a rotation names what it rotates,
 * so that a double click or two admins at once rotate once. 428 without one.
 */
export function expectedPairTag(request: FastifyRequest, what: string): string {
  const tag = parseIfMatch(request.headers['if-match']);
  if (tag === null) {
    throw new PreconditionRequiredError(
      `${what} needs an If-Match header naming the token pair you saw (the ETag of GET .../streaming-tokens or .../rotation-plan).`,
    );
  }
  return tag;
}
