import type { ColumnType, Generated } from 'kysely';

/**
 * Table types for the query layer. Each module adds its tables here as its migrations create them.
 * BIGINT columns are read as `bigint` (see database.ts); money columns end in `_fen`.
 */
export interface Database {
  system_parameters: SystemParametersTable;
}

export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** Platform-wide settings staff can change (module switches, limits); values are JSON. */
export interface SystemParametersTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  description_zh: string;
  description_en: string;
  version: Generated<number>;
  updated_at: UpdatedAt;
}
