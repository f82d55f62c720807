import type { FromSchema } from 'json-schema-to-ts';
import { authErrors, bodyErrors, dateTime } from './http.ts';

export const rotateSigningKeySchema = {
  tags: ['signing keys'],
  summary:
    'Add a new signing key for PATs or broker JWTs; it signs from now on. With retirePrevious, the older keys stop verifying (and leave the JWKS) after graceSeconds, by default the longest lifetime of what they signed (organisation Admin).',
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['purpose'],
    properties: {
      purpose: { type: 'string', enum: ['pat', 'broker'] },
      retirePrevious: { type: 'boolean' },
      graceSeconds: { type: 'integer', minimum: 0 },
    },
  },
  response: {
    200: {
      type: 'object',
      additionalProperties: false,
      required: ['purpose', 'kid', 'publishedKids', 'retiring'],
      properties: {
        purpose: { type: 'string' },
        kid: { type: 'string' },
        publishedKids: { type: 'array', items: { type: 'string' } },
        retiring: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['kid', 'retiresAt'],
            properties: { kid: { type: 'string' }, retiresAt: dateTime },
          },
        },
      },
    },
    ...authErrors,
    ...bodyErrors,
  },
} as const;

export type RotateSigningKeyRequest = FromSchema<typeof rotateSigningKeySchema.body>;
export type RotatedSigningKey = FromSchema<(typeof rotateSigningKeySchema.response)[200]>;
