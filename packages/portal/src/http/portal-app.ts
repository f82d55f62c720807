import type { Readable } from 'node:stream';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { FromSchemaDefaultOptions } from 'json-schema-to-ts';

// Handlers return Date objects where the contract says `date-time` (Fastify serialises them),
// a 204 sends nothing, binary answers are bytes and text may stream.
type Serialised = [
  { pattern: { type: 'string'; format: 'date-time' }; output: Date | string },
  { pattern: { type: ['string', 'null']; format: 'date-time' }; output: Date | string | null },
  { pattern: { type: 'null'; description: 'No content' }; output: undefined },
  { pattern: { type: 'string'; format: 'binary' }; output: Buffer },
  { pattern: { type: 'string'; contentMediaType: 'text/plain' }; output: string | Readable },
];

/**
 * Request and reply types come from the contract's schemas: a handler's params, query and body
 * are what its schema validated, and what it sends must match the schema of that status.
 */
export type ContractTypes = JsonSchemaToTsProvider<{
  ValidatorSchemaOptions: FromSchemaDefaultOptions;
  SerializerSchemaOptions: Omit<FromSchemaDefaultOptions, 'deserialize'> & { deserialize: Serialised };
}>;

/** The Fastify instance every `register...Routes` receives. */
export type PortalApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ContractTypes
>;
