import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../audit/audit-log.ts';
import type { SigningKeyRing } from '../crypto/signing-keys.ts';
import { ForbiddenError } from '../errors.ts';
import { principalOf } from '../http/request-auth.ts';
import { authErrors } from '../http/schemas.ts';
import { can } from '../permissions/permissions.ts';

const rotateSchema = {
  tags: ['signing keys'],
  summary:
    'Add a new signing key for PATs or broker JWTs; it signs from now on, and the older keys keep verifying what they signed (organisation Admin).',
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['purpose'],
    properties: { purpose: { type: 'string', enum: ['pat', 'broker'] } },
  },
  response: {
    200: {
      type: 'object',
      additionalProperties: false,
      required: ['purpose', 'kid', 'publishedKids'],
      properties: {
        purpose: { type: 'string' },
        kid: { type: 'string' },
        publishedKids: { type: 'array', items: { type: 'string' } },
      },
    },
    ...authErrors,
  },
} as const;

export function registerSigningKeyRoutes(
  app: FastifyInstance,
  deps: { rings: { pat: SigningKeyRing; broker: SigningKeyRing }; audit: AuditLog },
): void {
  app.post<{ Body: { purpose: 'pat' | 'broker' } }>(
    '/signing-keys/rotate',
    { schema: rotateSchema },
    async (request) => {
      const principal = principalOf(request);
      const decision = can(principal, 'signingKeys.rotate');
      if (!decision.allowed) throw new ForbiddenError(decision.reason);
      const { purpose } = request.body;
      const ring = deps.rings[purpose];
      const key = await ring.rotate();
      await deps.audit.record({
        actor: { kind: 'principal', principal },
        action: 'signing_key.rotate',
        target: key.kid,
        details: { purpose },
        address: request.ip,
      });
      return {
        purpose,
        kid: key.kid,
        publishedKids: (await ring.publicJwks()).map((jwk) => String(jwk.kid)),
      };
    },
  );
}
