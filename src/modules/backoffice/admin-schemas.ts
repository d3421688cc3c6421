import { type Static, type TSchema, Type } from 'typebox';
import { ALL_PERMISSIONS, type Permission } from '../../platform/auth/permissions.ts';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from './cursor.ts';

/** An instant; handlers may return a Date (serialised as ISO 8601). */
export const DateTime = Type.Unsafe<Date>(Type.String({ format: 'date-time' }));
export const NullableDateTime = Type.Unsafe<Date | null>(
  Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
);
/** Integer fen as a JSON number (the handler may return bigint). */
export const Fen = Type.Unsafe<bigint>(Type.Integer({ description: 'Amount in fen (1 yuan = 100 fen)' }));
/** A whole number the handler may hold as bigint (points). */
export const BigCount = Type.Unsafe<bigint>(Type.Integer());

export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/**
 * An object or null, as `nullable: true` rather than a union: the serializer picks a union's branch by
 * validating the value, which fails for bigint fields (Fen, BigCount), so those objects use this.
 */
export const NullableObject = <T extends TSchema>(schema: T) =>
  Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });

export const PermissionCode = Type.Unsafe<Permission>(Type.String({ enum: ALL_PERMISSIONS }));

/** `?cursor=&limit=` of every list (default 20, maximum 100). */
export const pageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX, default: PAGE_LIMIT_DEFAULT })),
};

export const NextCursor = Type.Union([Type.String(), Type.Null()]);

/** A reason staff must give (freeze, unfreeze, flag, reject): 1–500 characters, not just spaces. */
export const Reason = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' });

export const StaffRef = Type.Object({ id: Type.String(), username: Type.String(), displayName: Type.String() });

export function page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: NextCursor });
}
