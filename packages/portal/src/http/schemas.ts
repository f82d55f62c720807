/** Schema fragments shared by the routes. Every route declares params, body and responses. */
export const errorBody = {
  type: 'object',
  additionalProperties: false,
  required: ['message', 'correlationId'],
  properties: {
    message: { type: 'string' },
    correlationId: { type: 'string' },
    code: { type: 'string' },
  },
} as const;

export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const roleSchema = { type: 'string', enum: ['Admin', 'Manager', 'Editor', 'Viewer', 'None'] } as const;

export const workspaceIdParam = {
  type: 'object',
  additionalProperties: false,
  required: ['workspaceId'],
  properties: { workspaceId: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

/** Error answers every authenticated route may give. */
export const authErrors = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  429: errorBody,
} as const;

export const noContent = { type: 'null', description: 'No content' } as const;
