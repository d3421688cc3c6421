import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Db, Trx } from '../../../db/database.ts';
import type { DocumentsTable } from '../../../db/schema.ts';
import type { FieldCipher } from '../../../platform/crypto.ts';
import { AppError } from '../../../platform/errors.ts';
import { newRecordId } from '../records.ts';
import { DocumentError } from './documents.errors.ts';
import { readStoredFile, removeStoredFile, type StoredFile, storeUpload } from './documents.storage.ts';
import {
  cleanFileName,
  DOCUMENTS_PER_CUSTOMER_MAX,
  type DocumentContentType,
  type DocumentKind,
  type DocumentStatus,
  EXTENSION_OF,
  isDocumentKind,
  REVIEW_REASON_CHARS_MAX,
  UPLOAD_BYTES_MAX,
} from './documents.ts';

/** Field-cipher contexts. Never rename one: it is bound into the ciphertext. */
const CONTEXTS = { fileKey: 'document.file_key', fileName: 'document.file_name' } as const;
const ID_PREFIX = 'doc';
export const DOCUMENT_ID_PATTERN = `^${ID_PREFIX}_[0-9a-f]{32}$`;
const ID_REGEX = new RegExp(DOCUMENT_ID_PATTERN);

export const DOCUMENT_PAGE_DEFAULT = 20;
export const DOCUMENT_PAGE_MAX = 100;

export interface DocumentView {
  readonly id: string;
  readonly kind: DocumentKind;
  readonly status: DocumentStatus;
  readonly fileName: string;
  readonly contentType: DocumentContentType;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly reviewReason: string | null;
  readonly reviewedAt: Date | null;
  readonly createdAt: Date;
}

export interface StaffDocumentView extends DocumentView {
  readonly customerId: string;
  readonly customerPhoneMasked: string;
  readonly reviewedBy: string | null;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

type DocumentRow = Pick<
  DocumentsTable,
  | 'id'
  | 'kind'
  | 'content_type'
  | 'size_bytes'
  | 'sha256'
  | 'file_name_cipher'
  | 'reviewed_at'
  | 'review_reason'
  | 'user_id'
  | 'reviewed_by'
> & { status: DocumentStatus; created_at: Date };

const VIEW_COLUMNS = [
  'd.id',
  'd.user_id',
  'd.kind',
  'd.status',
  'd.content_type',
  'd.size_bytes',
  'd.sha256',
  'd.file_name_cipher',
  'd.reviewed_by',
  'd.reviewed_at',
  'd.review_reason',
  'd.created_at',
] as const;

function toView(cipher: FieldCipher, row: DocumentRow): DocumentView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    fileName: cipher.decrypt(row.file_name_cipher, CONTEXTS.fileName),
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    reviewReason: row.review_reason,
    reviewedAt: row.reviewed_at,
    createdAt: row.created_at,
  };
}

function pageOf<R extends { id: string }, T>(rows: R[], limit: number, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  return { items: items.map(map), nextCursor: more ? (items.at(-1)?.id ?? null) : null };
}

function checkCursor(cursor: string | undefined): string | undefined {
  if (cursor !== undefined && !ID_REGEX.test(cursor)) throw DocumentError.DOCUMENT_INVALID_CURSOR({ field: 'cursor' });
  return cursor;
}

// ---------------------------------------------------------------------------------------------------
// Upload

/** One part of a multipart upload, as @fastify/multipart yields it (only what is used here). */
export type UploadPart =
  | { readonly type: 'field'; readonly fieldname: string; readonly value: unknown }
  | { readonly type: 'file'; readonly fieldname: string; readonly filename: string; readonly file: Readable };

/**
 * Errors of the multipart parser and the incoming stream, mapped to our codes. The server's own failures
 * (a system call that failed: disk full, permissions) are not the client's doing and stay as they are (500).
 */
function uploadStreamError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof Error && 'syscall' in error) return error;
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return DocumentError.DOCUMENT_TOO_LARGE({ limitMiB: UPLOAD_BYTES_MAX / 1024 / 1024 });
    case 'FST_FILES_LIMIT':
      return DocumentError.DOCUMENT_ONE_FILE_ONLY();
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return DocumentError.DOCUMENT_NOT_MULTIPART();
    default:
      // Truncated bodies, bad boundaries, too many parts or fields: all the client's doing.
      return DocumentError.DOCUMENT_UPLOAD_MALFORMED({ reason: typeof code === 'string' ? code : 'malformed' });
  }
}

async function countDocuments(db: Db | Trx, userId: string): Promise<number> {
  const row = await db
    .selectFrom('documents')
    .select(sql<string>`count(*)`.as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Take one upload: a `kind` field, then exactly one file. The file is checked and encrypted as it streams
 * to disk; the row is written only once the whole request was read and found good. Whatever fails, no file
 * is left behind.
 */
export async function uploadDocument(
  db: Db,
  cipher: FieldCipher,
  uploadsDir: string,
  input: { userId: string; parts: AsyncIterable<UploadPart> },
): Promise<DocumentView> {
  if ((await countDocuments(db, input.userId)) >= DOCUMENTS_PER_CUSTOMER_MAX) {
    throw DocumentError.DOCUMENT_LIMIT_REACHED({ limit: DOCUMENTS_PER_CUSTOMER_MAX });
  }
  let kind: DocumentKind | undefined;
  let stored: StoredFile | undefined;
  let fileName = '';
  const iterator = input.parts[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<UploadPart>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw uploadStreamError(error);
      }
      if (next.done) break;
      const part = next.value;
      if (part.type === 'field') {
        if (part.fieldname !== 'kind') continue; // other fields are ignored
        if (!isDocumentKind(part.value)) throw DocumentError.DOCUMENT_KIND_INVALID({ field: 'kind' });
        kind = part.value;
        continue;
      }
      if (stored !== undefined) throw DocumentError.DOCUMENT_ONE_FILE_ONLY();
      if (kind === undefined) throw DocumentError.DOCUMENT_KIND_REQUIRED({ field: 'kind' });
      try {
        stored = await storeUpload(uploadsDir, part.file);
      } catch (error) {
        throw uploadStreamError(error);
      }
      fileName = part.filename;
    }
    if (kind === undefined) throw DocumentError.DOCUMENT_KIND_REQUIRED({ field: 'kind' });
    if (stored === undefined) throw DocumentError.DOCUMENT_FILE_REQUIRED({ field: 'file' });
    const file = stored;
    const documentKind = kind;
    return await db.transaction().execute(async (trx) => {
      // The customer's row is the lock that keeps concurrent uploads within the limit.
      await trx.selectFrom('users').select('id').where('id', '=', input.userId).forUpdate().executeTakeFirstOrThrow();
      if ((await countDocuments(trx, input.userId)) >= DOCUMENTS_PER_CUSTOMER_MAX) {
        throw DocumentError.DOCUMENT_LIMIT_REACHED({ limit: DOCUMENTS_PER_CUSTOMER_MAX });
      }
      const name = cleanFileName(fileName, `${documentKind}.${EXTENSION_OF[file.contentType]}`);
      const row = await trx
        .insertInto('documents')
        .values({
          id: newRecordId(ID_PREFIX),
          user_id: input.userId,
          kind: documentKind,
          content_type: file.contentType,
          size_bytes: file.sizeBytes,
          sha256: file.sha256,
          storage_key: file.storageKey,
          file_key_cipher: cipher.encrypt(file.fileKey.toString('base64'), CONTEXTS.fileKey),
          file_name_cipher: cipher.encrypt(name, CONTEXTS.fileName),
        })
        .returning([
          'id',
          'user_id',
          'kind',
          'status',
          'content_type',
          'size_bytes',
          'sha256',
          'file_name_cipher',
          'reviewed_by',
          'reviewed_at',
          'review_reason',
          'created_at',
        ])
        .executeTakeFirstOrThrow();
      return toView(cipher, row);
    });
  } catch (error) {
    if (stored !== undefined) await removeStoredFile(uploadsDir, stored.storageKey);
    throw error;
  } finally {
    // Stop reading the rest of the request if we left early.
    await iterator.return?.();
  }
}

// ---------------------------------------------------------------------------------------------------
// Customer reads and delete

export async function listCustomerDocuments(
  db: Db,
  cipher: FieldCipher,
  userId: string,
  query: { limit?: number; cursor?: string; kind?: DocumentKind; status?: DocumentStatus },
): Promise<Page<DocumentView>> {
  const limit = Math.min(query.limit ?? DOCUMENT_PAGE_DEFAULT, DOCUMENT_PAGE_MAX);
  const cursor = checkCursor(query.cursor);
  let q = db.selectFrom('documents as d').select(VIEW_COLUMNS).where('d.user_id', '=', userId);
  if (cursor) q = q.where('d.id', '<', cursor);
  if (query.kind) q = q.where('d.kind', '=', query.kind);
  if (query.status) q = q.where('d.status', '=', query.status);
  const rows = await q
    .orderBy('d.id', 'desc')
    .limit(limit + 1)
    .execute();
  return pageOf(rows, limit, (r) => toView(cipher, r));
}

export interface DocumentFile {
  readonly id: string;
  readonly contentType: DocumentContentType;
  readonly fileName: string;
  readonly bytes: Buffer;
}

/**
 * A document's file, decrypted and verified. With `ownerId`, only that customer's document is found
 * (another customer's id is simply not found); staff pass none.
 */
export async function readDocumentFile(
  db: Db,
  cipher: FieldCipher,
  uploadsDir: string,
  input: { id: string; ownerId?: string },
): Promise<DocumentFile> {
  let q = db
    .selectFrom('documents')
    .select(['id', 'content_type', 'storage_key', 'file_key_cipher', 'file_name_cipher', 'sha256'])
    .where('id', '=', input.id);
  if (input.ownerId !== undefined) q = q.where('user_id', '=', input.ownerId);
  const row = await q.executeTakeFirst();
  if (!row) throw DocumentError.DOCUMENT_NOT_FOUND({ id: input.id });
  const bytes = await readStoredFile(uploadsDir, {
    storageKey: row.storage_key,
    fileKey: Buffer.from(cipher.decrypt(row.file_key_cipher, CONTEXTS.fileKey), 'base64'),
    sha256: row.sha256,
  });
  return {
    id: row.id,
    contentType: row.content_type,
    fileName: cipher.decrypt(row.file_name_cipher, CONTEXTS.fileName),
    bytes,
  };
}

/**
 * Delete one of the customer's own documents while it is still pending, in the caller's transaction.
 * Returns the storage key; the caller removes the file after the transaction commits.
 */
export async function deleteCustomerDocument(
  trx: Trx,
  input: { userId: string; id: string },
): Promise<{ storageKey: string; kind: DocumentKind }> {
  const row = await trx
    .selectFrom('documents')
    .select(['status', 'storage_key', 'kind'])
    .where('id', '=', input.id)
    .where('user_id', '=', input.userId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw DocumentError.DOCUMENT_NOT_FOUND({ id: input.id });
  if (row.status !== 'pending') throw DocumentError.DOCUMENT_ALREADY_REVIEWED({ id: input.id, status: row.status });
  await trx.deleteFrom('documents').where('id', '=', input.id).where('status', '=', 'pending').execute();
  return { storageKey: row.storage_key, kind: row.kind };
}

/** Remove a deleted document's file (after the delete committed). */
export async function removeDocumentFile(uploadsDir: string, storageKey: string): Promise<void> {
  await removeStoredFile(uploadsDir, storageKey);
}

// ---------------------------------------------------------------------------------------------------
// Staff

export async function listDocumentsForStaff(
  db: Db,
  cipher: FieldCipher,
  query: { status?: DocumentStatus; customerId?: string; kind?: DocumentKind; limit?: number; cursor?: string },
): Promise<Page<StaffDocumentView>> {
  const limit = Math.min(query.limit ?? DOCUMENT_PAGE_DEFAULT, DOCUMENT_PAGE_MAX);
  const cursor = checkCursor(query.cursor);
  let q = db
    .selectFrom('documents as d')
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .select([...VIEW_COLUMNS, 'u.phone_masked']);
  if (query.status) q = q.where('d.status', '=', query.status);
  if (query.customerId) q = q.where('d.user_id', '=', query.customerId);
  if (query.kind) q = q.where('d.kind', '=', query.kind);
  if (cursor) q = q.where('d.id', '<', cursor);
  const rows = await q
    .orderBy('d.id', 'desc')
    .limit(limit + 1)
    .execute();
  return pageOf(rows, limit, (r) => ({
    ...toView(cipher, r),
    customerId: r.user_id,
    customerPhoneMasked: r.phone_masked,
    reviewedBy: r.reviewed_by,
  }));
}

export interface ReviewResult {
  readonly before: { status: DocumentStatus };
  readonly after: { status: DocumentStatus; reason: string | null };
  readonly document: StaffDocumentView;
}

/**
 * Approve or reject a pending document, in the caller's transaction (which also writes the audit entry).
 * A reason is required to reject. A document reviewed already (also by someone else a moment ago) → 409.
 */
export async function reviewDocument(
  trx: Trx,
  cipher: FieldCipher,
  input: { id: string; staffId: string; decision: 'approved' | 'rejected'; reason?: string | undefined },
): Promise<ReviewResult> {
  const reason = input.reason?.trim() ?? '';
  if (input.decision === 'rejected' && reason === '') throw DocumentError.DOCUMENT_REASON_REQUIRED({ field: 'reason' });
  if (Array.from(reason).length > REVIEW_REASON_CHARS_MAX) {
    throw DocumentError.DOCUMENT_REASON_TOO_LONG({ field: 'reason', limit: REVIEW_REASON_CHARS_MAX });
  }
  const current = await trx
    .selectFrom('documents')
    .select(['status'])
    .where('id', '=', input.id)
    .forUpdate()
    .executeTakeFirst();
  if (!current) throw DocumentError.DOCUMENT_NOT_FOUND({ id: input.id });
  if (current.status !== 'pending') {
    throw DocumentError.DOCUMENT_ALREADY_REVIEWED({ id: input.id, status: current.status });
  }
  await trx
    .updateTable('documents')
    .set({
      status: input.decision,
      reviewed_by: input.staffId,
      reviewed_at: sql<Date>`now()`,
      review_reason: reason === '' ? null : reason,
    })
    .where('id', '=', input.id)
    .where('status', '=', 'pending')
    .execute();
  const row = await trx
    .selectFrom('documents as d')
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .select([...VIEW_COLUMNS, 'u.phone_masked'])
    .where('d.id', '=', input.id)
    .executeTakeFirstOrThrow();
  return {
    before: { status: current.status },
    after: { status: input.decision, reason: reason === '' ? null : reason },
    document: {
      ...toView(cipher, row),
      customerId: row.user_id,
      customerPhoneMasked: row.phone_masked,
      reviewedBy: row.reviewed_by,
    },
  };
}
