import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const COMMON: Options = { allErrors: false, useDefaults: true, removeAdditional: false, strict: false };

/**
 * Request validation with two rule sets:
 * - bodies are strict: no type coercion ("100" is not 100) and unknown fields are rejected, so a
 *   typo like `amountfen` is an error instead of a silently ignored field;
 * - query strings, path params and headers are text by nature and are coerced to the schema's types.
 */
export function installValidation(app: FastifyInstance): void {
  const strict = addFormats.default(new Ajv({ ...COMMON, coerceTypes: false }));
  const coercing = addFormats.default(new Ajv({ ...COMMON, coerceTypes: 'array' }));
  let sharedAdded = false;
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (!sharedAdded) {
      for (const shared of Object.values(app.getSchemas())) {
        strict.addSchema(shared as object);
        coercing.addSchema(shared as object);
      }
      sharedAdded = true;
    }
    return (httpPart === 'body' ? strict : coercing).compile(schema);
  });
}
