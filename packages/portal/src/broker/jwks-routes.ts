import { jwksSchema } from '@streamgate/contract';
import type { SigningKeyRing } from '../crypto/signing-keys.ts';
import type { PortalApp } from '../http/portal-app.ts';

export function registerJwksRoutes(app: PortalApp, deps: { brokerKeys: SigningKeyRing }): void {
  app.get(
    '/.well-known/jwks.json',
    { schema: jwksSchema, config: { auth: 'none' } },
    async (_request, reply) => {
      // The broker may fetch (and cache) the keys before any token was minted: create the
      // signing key first, so that the first broker JWT is signed by a key already published.
      await deps.brokerKeys.current();
      void reply.header('cache-control', 'public, max-age=60');
      return { keys: await deps.brokerKeys.publicJwks() };
    },
  );
}
