import { rotateSigningKeySchema } from '@streamgate/contract';
import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../audit/audit-log.ts';
import type { SigningKeyRing } from '../crypto/signing-keys.ts';
import { BadRequestError, ForbiddenError } from '../errors.ts';
import { principalOf } from '../http/request-auth.ts';
import { can } from '../permissions/permissions.ts';

type Purpose = 'pat' | 'broker';

export function registerSigningKeyRoutes(
  app: FastifyInstance,
  deps: {
    rings: Record<Purpose, SigningKeyRing>;
    /** The longest lifetime of what each ring signs: a PAT's maximum, the broker JWT TTL. */
    longestLifetimeSeconds: Record<Purpose, number>;
    audit: AuditLog;
    now: () => Date;
  },
): void {
  app.post<{ Body: { purpose: Purpose; retirePrevious?: boolean; graceSeconds?: number } }>(
    '/signing-keys/rotate',
    { schema: rotateSigningKeySchema },
    async (request) => {
      const principal = principalOf(request);
      const decision = can(principal, 'signingKeys.rotate');
      if (!decision.allowed) throw new ForbiddenError(decision.reason);
      const { purpose, retirePrevious = false, graceSeconds } = request.body;
      const longest = deps.longestLifetimeSeconds[purpose];
      if (graceSeconds !== undefined && !retirePrevious)
        throw new BadRequestError('graceSeconds goes with "retirePrevious": true.');
      if (graceSeconds !== undefined && graceSeconds > longest)
        throw new BadRequestError(
          `graceSeconds is at most ${longest} for ${purpose} keys (the longest lifetime of what they sign); by then nothing they signed is valid anyway.`,
        );
      const retireAt = retirePrevious
        ? new Date(deps.now().getTime() + (graceSeconds ?? longest) * 1000)
        : undefined;
      const ring = deps.rings[purpose];
      const { key, retiring } = await ring.rotate(retireAt ? { retirePreviousAt: retireAt } : {});
      await deps.audit.record({
        actor: { kind: 'principal', principal },
        action: 'signing_key.rotate',
        target: key.kid,
        details: {
          purpose,
          ...(retireAt ? { retirePreviousAt: retireAt.toISOString() } : {}),
        },
        address: request.ip,
      });
      return {
        purpose,
        kid: key.kid,
        publishedKids: (await ring.publicJwks()).map((jwk) => String(jwk.kid)),
        retiring: retiring.map((record) => ({ kid: record.kid, retiresAt: record.retiredAt! })),
      };
    },
  );
}
