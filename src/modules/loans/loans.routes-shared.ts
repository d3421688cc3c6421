import { Type } from 'typebox';
import { FenSchema } from '../../platform/http-schemas.ts';
import { type Schedule, scheduleToJson } from '../servicing/schedule/index.ts';
import type { LoanListRow } from './applications.service.ts';
import { LoanError } from './loans.errors.ts';
import { rateText } from './products.ts';

/** Lists page with `?limit=` (default 20, at most 100) and an opaque `?cursor=`. */
export const LIST_LIMIT_DEFAULT = 20;
export const LIST_LIMIT_MAX = 100;
/** Offset cursors go no deeper than this many rows (narrow the filters to see further). */
export const LIST_OFFSET_MAX = 10_000;
const CURSOR_CHARS_MAX = 32;

export const encodeOffsetCursor = (offset: number) => Buffer.from(`o:${offset}`, 'utf8').toString('base64url');

export function decodeOffsetCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const text = cursor.length <= CURSOR_CHARS_MAX ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^o:(\d{1,6})$/.exec(text);
  const offset = match ? Number(match[1]) : Number.NaN;
  if (!Number.isInteger(offset) || offset > LIST_OFFSET_MAX) throw LoanError.INVALID_CURSOR({ field: 'cursor' });
  return offset;
}

/** Cut `limit + 1` fetched rows into a page and the cursor of the next one. */
export function offsetPage<T>(rows: T[], limit: number, offset: number): { items: T[]; nextCursor: string | null } {
  const more = rows.length > limit && offset + limit < LIST_OFFSET_MAX;
  return { items: rows.slice(0, limit), nextCursor: more ? encodeOffsetCursor(offset + limit) : null };
}

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIST_LIMIT_MAX, default: LIST_LIMIT_DEFAULT })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
};

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** Integer fen or null (a union with FenSchema would not serialize a bigint). */
export const NullableFen = Type.Unsafe<bigint | null>({
  type: 'integer',
  nullable: true,
  description: 'Amount in fen, or null',
});
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const ScheduleSchema = Type.Object({
  rows: Type.Array(
    Type.Object({
      period: Type.Integer(),
      dueDate: Type.String(),
      principalFen: Type.Integer(),
      interestFen: Type.Integer(),
      paymentFen: Type.Integer(),
      remainingPrincipalFen: Type.Integer(),
    }),
  ),
  totalPrincipalFen: Type.Integer(),
  totalInterestFen: Type.Integer(),
  totalPaymentFen: Type.Integer(),
});
export const scheduleJson = (s: Schedule) => scheduleToJson(s);

/** A loan as its borrower and staff see it. */
export const ApplicationSchema = Type.Object({
  id: Type.String(),
  loanNo: Type.String(),
  productId: Type.String(),
  productNameZh: Type.String(),
  productNameEn: Type.String(),
  loanType: Type.String(),
  title: Type.String(),
  purpose: Type.String(),
  amountFen: FenSchema,
  annualRate: Type.String(),
  method: Type.String(),
  termMonths: Nullable(Type.Integer()),
  termDays: Nullable(Type.Integer()),
  documentIds: Type.Array(Type.String()),
  status: Type.String(),
  grade: Nullable(Type.String()),
  reviewNote: Nullable(Type.String()),
  raisedFen: FenSchema,
  bidCount: Type.Integer(),
  publishAt: Nullable(Type.String()),
  raiseEndsAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export function applicationView(l: LoanListRow) {
  return {
    id: l.id,
    loanNo: l.loan_no,
    productId: l.product_id,
    productNameZh: l.product_name_zh,
    productNameEn: l.product_name_en,
    loanType: l.loan_type,
    title: l.title,
    purpose: l.purpose,
    amountFen: l.amount_fen,
    annualRate: rateText(l.annual_rate_ppm),
    method: l.method,
    termMonths: l.term_months,
    termDays: l.term_days,
    documentIds: l.document_ids,
    status: l.status,
    grade: l.grade,
    reviewNote: l.review_note,
    raisedFen: l.raised_fen,
    bidCount: l.bid_count,
    publishAt: iso(l.publish_at),
    raiseEndsAt: iso(l.raise_ends_at),
    createdAt: l.created_at.toISOString(),
    updatedAt: l.updated_at.toISOString(),
  };
}

export const EventSchema = Type.Object({
  at: Type.String(),
  fromStatus: Nullable(Type.String()),
  toStatus: Type.String(),
  actorKind: Type.String(),
  note: Nullable(Type.String()),
});

export const eventView = (e: {
  at: Date;
  from_status: string | null;
  to_status: string;
  actor_kind: string;
  note: string | null;
}) => ({
  at: e.at.toISOString(),
  fromStatus: e.from_status,
  toStatus: e.to_status,
  actorKind: e.actor_kind,
  note: e.note,
});
