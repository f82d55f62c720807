import { rotateSigningKeySchema } from '@streamgate/contract';
import type { PortalApp } from '../http/portal-app.ts';
import { principalOf } from '../http/request-auth.ts';
import type { SigningKeyService } from './signing-key-service.ts';

export function registerSigningKeyRoutes(app: PortalApp, deps: { signingKeys: SigningKeyService }): void {
  app.post(
    '/signing-keys/rotate',
    { schema: rotateSigningKeySchema, config: { access: 'signingKeys.rotate' } },
    async (request) => deps.signingKeys.rotate(principalOf(request), request.body, request.ip),
  );
}
