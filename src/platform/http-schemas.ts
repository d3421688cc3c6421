import { type TSchema, Type } from 'typebox';

/** The body of every error response: `{ error: { code, message, details? } }`. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable UPPER_SNAKE error code', examples: ['VALIDATION_FAILED'] }),
      message: Type.String({ description: "Human message in the caller's language (zh-CN default, en-US)" }),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: 'ErrorBody', description: 'Error' },
);

/** Response schemas for the given error statuses, for a route's `schema.response`. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const status of statuses) out[status] = Type.Ref('ErrorBody');
  return out;
}

/** Integer fen as a JSON number; handlers may return bigint (the serializer writes it as a number). */
export const FenSchema = Type.Unsafe<bigint>(Type.Integer({ description: 'Amount in fen (1 yuan = 100 fen)' }));
