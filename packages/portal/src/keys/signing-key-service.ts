import type { RotatedSigningKey, RotateSigningKeyRequest } from '@streamgate/contract';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { SigningKeyRing } from '../crypto/signing-keys.ts';
import { BadRequestError } from '../errors.ts';
import type { Principal } from '../permissions/principal.ts';

type Purpose = RotateSigningKeyRequest['purpose'];

export interface SigningKeyService {
  /**
   * Adds a key that signs from now on. With `retirePrevious`, the older keys stop verifying
   * after `graceSeconds`, by default the longest lifetime of what they signed.
   */
  rotate(
    principal: Principal,
    request: RotateSigningKeyRequest,
    address: string | null,
  ): Promise<RotatedSigningKey>;
}

export function createSigningKeyService(deps: {
  rings: Record<Purpose, SigningKeyRing>;
  /** The longest lifetime of what each ring signs: a PAT's maximum, the broker JWT TTL. */
  longestLifetimeSeconds: Record<Purpose, number>;
  audit: AuditLog;
  clock: Clock;
}): SigningKeyService {
  return {
    async rotate(principal, { purpose, retirePrevious = false, graceSeconds }, address) {
      const longest = deps.longestLifetimeSeconds[purpose];
      if (graceSeconds !== undefined && !retirePrevious)
        throw new BadRequestError('graceSeconds goes with "retirePrevious": true.');
      if (graceSeconds !== undefined && graceSeconds > longest)
        throw new BadRequestError(
          `graceSeconds is at most ${longest} for ${purpose} keys (the longest lifetime of what they sign); by then nothing they signed is valid anyway.`,
        );
      const retireAt = retirePrevious
        ? new Date(deps.clock.now().getTime() + (graceSeconds ?? longest) * 1000)
        : undefined;
      const ring = deps.rings[purpose];
      const { key, retiring } = await ring.rotate(retireAt ? { retirePreviousAt: retireAt } : {});
      await deps.audit.record({
        actor: { kind: 'principal', principal },
        action: 'signing_key.rotate',
        target: key.kid,
        details: { purpose, ...(retireAt ? { retirePreviousAt: retireAt.toISOString() } : {}) },
        address,
      });
      return {
        purpose,
        kid: key.kid,
        publishedKids: (await ring.publicJwks()).map((jwk) => String(jwk.kid)),
        retiring: retiring.map((record) => ({ kid: record.kid, retiresAt: record.retiredAt!.toISOString() })),
      };
    },
  };
}
