import { OAuthError } from './oauth-errors.ts';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * The client's credentials from HTTP Basic (client_secret_basic, what librdkafka sends,
 * not URL-encoded) or from the form body (client_secret_post); never both at once.
 */
export function readClientCredentials(
  authorization: string | undefined,
  form: Record<string, unknown>,
): ClientCredentials {
  const inForm = typeof form.client_id === 'string' || typeof form.client_secret === 'string';
  if (authorization !== undefined) {
    if (inForm)
      throw new OAuthError(
        'invalid_request',
        'Send the client credentials either in the Authorization header or in the body, not both.',
      );
    const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(authorization);
    if (!match)
      throw new OAuthError(
        'invalid_client',
        'The Authorization header must be HTTP Basic: base64(client_id:client_secret).',
        401,
      );
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0)
      throw new OAuthError('invalid_client', 'The Basic credentials must be client_id:client_secret.', 401);
    return {
      clientId: decodeFormComponent(decoded.slice(0, colon)),
      clientSecret: decodeFormComponent(decoded.slice(colon + 1)),
    };
  }
  if (typeof form.client_id === 'string' && typeof form.client_secret === 'string') {
    return { clientId: form.client_id, clientSecret: form.client_secret };
  }
  throw new OAuthError(
    'invalid_client',
    'Client authentication is required: HTTP Basic with the workspace id and a streaming token.',
    401,
  );
}

/** RFC 6749 §2.3.1 form-encodes Basic credentials; librdkafka does not. Our ids and tokens need neither. */
function decodeFormComponent(value: string): string {
  // Nothing to decode in what librdkafka sends (the common case: every token request).
  if (!value.includes('%') && !value.includes('+')) return value;
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}
