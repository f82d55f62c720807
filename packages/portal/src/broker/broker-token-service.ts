import type { AttemptLimiter } from '../auth/attempt-limiter.ts';
import { PortalError } from '../errors.ts';
import type { StreamingPrincipal } from '../permissions/principal.ts';
import type { StreamingTokenService } from '../tokens/streaming-token-service.ts';
import type { ClientInfo } from '../tokens/usage-recorder.ts';
import { brokerPrincipalOf, brokerPrincipalPrefix } from './broker-principal.ts';
import type { ClientCredentials } from './client-credentials.ts';
import { OAuthError } from './oauth-errors.ts';

interface BrokerJwtIssuer {
  sign(
    claims: { sub: string; [claim: string]: unknown },
    ttlSeconds: number,
  ): Promise<{ jwt: string; expiresAt: Date }>;
}

export interface BrokerToken {
  accessToken: string;
  expiresIn: number;
}

/**
 * The OAuth 2.0 client-credentials grant that turns a streaming token into a short-lived
 * broker JWT: `client_id` is the workspace, `client_secret` one of its two active tokens.
 * A deactivated token mints nothing, which with the ACL removal ends its broker access.
 *
 * `client_id` may also be the token's own broker principal (`sgt-<tokenId>`): that is how the
 * broker's PLAIN plugin (kafka/plain-plugin) asks whether a PLAIN login is an active token of
 * that principal; it then also checks the JWT's `sub`.
 */
export function createBrokerTokenService(deps: {
  streamingTokens: StreamingTokenService;
  issuer: BrokerJwtIssuer;
  ttlSeconds: number;
  /** Authenticated requests per client id: bounds the signing work one workspace can cause. */
  requestLimiter: AttemptLimiter;
  /** Failed attempts per client id and address: bounds guessing. */
  failureLimiter: AttemptLimiter;
  onMinted?: () => void;
}) {
  return {
    /**
     * `connection`: the transport connection the request came over, so that a client asking
     * again on the same keep-alive connection skips the token's checksum and hash (never its lookup).
     */
    async mint(
      credentials: ClientCredentials,
      client: ClientInfo,
      connection?: object,
    ): Promise<BrokerToken> {
      const { clientId, clientSecret } = credentials;
      // PLAIN checks all come from the broker's address, so a failure limit on them would let
      // anyone who knows a token id lock that token's PLAIN logins out with wrong passwords.
      // Nothing is lost: a 190-bit token is not guessable, and garbage never reaches a lookup.
      const byPrincipal = clientId.startsWith(brokerPrincipalPrefix);
      const failureKey = byPrincipal ? null : `${clientId}\n${client.address}`;
      const wait = deps.requestLimiter.retryAfter(clientId);
      if (wait > 0) throw slowDown(clientId, wait);
      // The failure limit is looked at only once the secret failed: whoever sends wrong secrets
      // from a client's address (a shared NAT, the broker's host) must never refuse that
      // client's valid secret. A 190-bit token is not guessable; the limit bounds the noise.
      const failed = (error: OAuthError): OAuthError => {
        if (!failureKey) return error;
        const failureWait = deps.failureLimiter.retryAfter(failureKey);
        deps.failureLimiter.hit(failureKey);
        return failureWait > 0 ? slowDown(clientId, failureWait) : error;
      };
      let principal: StreamingPrincipal;
      try {
        ({ principal } = await deps.streamingTokens.authenticate(clientSecret, client, connection));
      } catch (error) {
        if (!(error instanceof PortalError)) throw error;
        const revoked = error.code === 'PORTAL_TOKEN_REVOKED';
        throw failed(
          new OAuthError(
            'invalid_client',
            revoked ? error.message : `Client authentication failed: ${error.message}`,
            401,
          ),
        );
      }
      const brokerPrincipal = brokerPrincipalOf(principal.tokenId);
      // Either form is accepted whatever the prefix: a workspace id may itself start with `sgt-`.
      if (clientId !== principal.workspaceId && clientId !== brokerPrincipal) {
        throw failed(
          new OAuthError(
            'invalid_client',
            byPrincipal
              ? `Client authentication failed: the streaming token is not principal '${clientId}'.`
              : `Client authentication failed: the streaming token does not belong to workspace '${clientId}'.`,
            401,
          ),
        );
      }
      // Only authenticated requests count here: counting failures would let anyone who knows a
      // workspace id lock its clients out by sending bad secrets from many addresses.
      deps.requestLimiter.hit(clientId);
      const { jwt } = await deps.issuer.sign(
        { sub: brokerPrincipal, workspace_id: principal.workspaceId },
        deps.ttlSeconds,
      );
      deps.onMinted?.();
      return { accessToken: jwt, expiresIn: deps.ttlSeconds };
    },
  };
}

function slowDown(clientId: string, wait: number): OAuthError {
  return new OAuthError(
    'slow_down',
    `Too many token requests for client '${clientId}'; retry in ${wait} seconds.`,
    429,
    wait,
  );
}

export type BrokerTokenService = ReturnType<typeof createBrokerTokenService>;
