import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../../platform/audit.ts';
import { errorResponses } from '../../../platform/http-schemas.ts';
import { DocumentError } from './documents.errors.ts';
import {
  DOCUMENT_ID_PATTERN,
  DOCUMENT_PAGE_DEFAULT,
  DOCUMENT_PAGE_MAX,
  type DocumentFile,
  type DocumentView,
  deleteCustomerDocument,
  listCustomerDocuments,
  listDocumentsForStaff,
  readDocumentFile,
  removeDocumentFile,
  reviewDocument,
  type StaffDocumentView,
  type UploadPart,
  uploadDocument,
} from './documents.service.ts';
import { uploadsDir } from './documents.storage.ts';
import {
  DOCUMENT_CONTENT_TYPES,
  DOCUMENT_KINDS,
  DOCUMENT_STATUSES,
  EXTENSION_OF,
  REVIEW_REASON_CHARS_MAX,
  UPLOAD_BYTES_MAX,
} from './documents.ts';

/** Room for the multipart framing and the `kind` field around the file, in bytes. */
const MULTIPART_OVERHEAD_BYTES_MAX = 64 * 1024;
const KIND_FIELD_BYTES_MAX = 64;

/** A string enum whose static type is the union of its values. */
const enumOf = <T extends string>(values: readonly T[], options: Record<string, unknown> = {}) =>
  Type.Unsafe<T>(Type.String({ ...options, enum: [...values] }));

const DocumentBody = Type.Object({
  id: Type.String(),
  kind: Type.String({ enum: [...DOCUMENT_KINDS] }),
  status: Type.String({ enum: [...DOCUMENT_STATUSES] }),
  fileName: Type.String({ description: "The client's file name, for display only" }),
  contentType: Type.String({ enum: [...DOCUMENT_CONTENT_TYPES], description: 'Judged from the content' }),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  reviewReason: Type.Union([Type.String(), Type.Null()]),
  reviewedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

const StaffDocumentBody = Type.Object({
  ...DocumentBody.properties,
  customerId: Type.String(),
  customerPhoneMasked: Type.String(),
  reviewedBy: Type.Union([Type.String(), Type.Null()]),
});

const pageOf = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

const IdParams = Type.Object({ id: Type.String({ pattern: DOCUMENT_ID_PATTERN }) });
const FileQuery = Type.Object(
  {
    disposition: Type.Optional(
      enumOf(['attachment', 'inline'] as const, { default: 'attachment', description: 'inline: show in the browser' }),
    ),
  },
  { additionalProperties: false },
);
const ListFields = {
  kind: Type.Optional(enumOf(DOCUMENT_KINDS)),
  status: Type.Optional(enumOf(DOCUMENT_STATUSES)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: DOCUMENT_PAGE_MAX, default: DOCUMENT_PAGE_DEFAULT })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
};
const FileResponse = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The file' });

function documentJson(d: DocumentView) {
  return {
    id: d.id,
    kind: d.kind,
    status: d.status,
    fileName: d.fileName,
    contentType: d.contentType,
    sizeBytes: d.sizeBytes,
    sha256: d.sha256,
    reviewReason: d.reviewReason,
    reviewedAt: d.reviewedAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

function staffDocumentJson(d: StaffDocumentView) {
  return {
    ...documentJson(d),
    customerId: d.customerId,
    customerPhoneMasked: d.customerPhoneMasked,
    reviewedBy: d.reviewedBy,
  };
}

/** RFC 5987 encoding of a header parameter value. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sendFile(reply: FastifyReply, file: DocumentFile, disposition: 'attachment' | 'inline') {
  const asciiName = `${file.id}.${EXTENSION_OF[file.contentType]}`;
  reply
    .header('content-type', file.contentType)
    .header('content-length', file.bytes.length)
    .header(
      'content-disposition',
      `${disposition}; filename="${asciiName}"; filename*=UTF-8''${rfc5987(file.fileName)}`,
    )
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff');
  if (disposition === 'inline') {
    // Shown inside the back office's preview frame; the file can load nothing and run nothing of ours.
    reply
      .header(
        'content-security-policy',
        "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'",
      )
      .header('x-frame-options', 'SAMEORIGIN');
  }
  return reply.send(file.bytes);
}

const customerTags = ['documents'];
const staffTags = ['back office: documents'];

/** Customer documents (资料上传) and their review by staff. */
export const documentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const dir = uploadsDir(app.config.dataDir);
  // Scoped to this plugin: no other route accepts multipart bodies. Limits bound every part of the request.
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: {
      fileSize: UPLOAD_BYTES_MAX + 1,
      files: 2,
      fields: 5,
      parts: 8,
      fieldNameSize: 64,
      fieldSize: KIND_FIELD_BYTES_MAX,
      headerPairs: 20,
    },
  });

  app.post(
    '/api/v1/me/documents',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'uploadMyDocument',
        summary: 'Upload a document (资料上传): JPEG, PNG or PDF, judged by content',
        description:
          'A `multipart/form-data` body with a `kind` field followed by exactly one file part. The format is ' +
          'read from the first bytes of the file (its name and declared type are ignored); files over ' +
          `${UPLOAD_BYTES_MAX} bytes are refused with 413 DOCUMENT_TOO_LARGE while they stream in.`,
        tags: customerTags,
        consumes: ['multipart/form-data'],
        // For the docs only: the body is read and checked part by part as it streams (see uploadDocument).
        body: Type.Object({
          kind: enumOf(DOCUMENT_KINDS, { description: 'Must come before the file' }),
          file: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'JPEG, PNG or PDF' }),
        }),
        response: { 201: DocumentBody, ...errorResponses(400, 401, 403, 413, 415, 422) },
      },
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      const declaredBytes = Number(request.headers['content-length']);
      if (Number.isFinite(declaredBytes) && declaredBytes > UPLOAD_BYTES_MAX + MULTIPART_OVERHEAD_BYTES_MAX) {
        throw DocumentError.DOCUMENT_TOO_LARGE({ limitMiB: UPLOAD_BYTES_MAX / 1024 / 1024 });
      }
      if (!request.isMultipart()) throw DocumentError.DOCUMENT_NOT_MULTIPART();
      const customerId = request.customer!.id;
      const document = await uploadDocument(app.db, app.cipher, dir, {
        userId: customerId,
        parts: request.parts() as AsyncIterable<UploadPart>,
      });
      await audit(app.db, request, {
        action: 'document.uploaded',
        targetKind: 'document',
        targetId: document.id,
        detail: { kind: document.kind, contentType: document.contentType, sizeBytes: document.sizeBytes },
      });
      return reply.code(201).send(documentJson(document));
    },
  );

  app.get(
    '/api/v1/me/documents',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'listMyDocuments',
        summary: 'My documents, newest first',
        tags: customerTags,
        querystring: Type.Object(ListFields, { additionalProperties: false }),
        response: { 200: pageOf(DocumentBody), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const page = await listCustomerDocuments(app.db, app.cipher, request.customer!.id, request.query);
      return { items: page.items.map(documentJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/me/documents/:id/file',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'downloadMyDocument',
        summary: 'Download one of my documents',
        tags: customerTags,
        params: IdParams,
        querystring: FileQuery,
        response: { 200: FileResponse, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const file = await readDocumentFile(app.db, app.cipher, dir, {
        id: request.params.id,
        ownerId: request.customer!.id,
      });
      return sendFile(reply, file, request.query.disposition === 'inline' ? 'inline' : 'attachment');
    },
  );

  app.delete(
    '/api/v1/me/documents/:id',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'deleteMyDocument',
        summary: 'Delete one of my documents while it has not been reviewed',
        tags: customerTags,
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const removed = await app.db.transaction().execute(async (trx) => {
        const result = await deleteCustomerDocument(trx, { userId: request.customer!.id, id });
        await audit(trx, request, {
          action: 'document.deleted',
          targetKind: 'document',
          targetId: id,
          detail: { kind: result.kind },
        });
        return result;
      });
      await removeDocumentFile(dir, removed.storageKey);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/admin/documents',
    {
      config: { permission: 'kyc.review' },
      schema: {
        operationId: 'listDocuments',
        summary: 'Customer documents for review, newest first',
        tags: staffTags,
        querystring: Type.Object(
          { ...ListFields, customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
          { additionalProperties: false },
        ),
        response: { 200: pageOf(StaffDocumentBody), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await listDocumentsForStaff(app.db, app.cipher, request.query);
      return { items: page.items.map(staffDocumentJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/admin/documents/:id/file',
    {
      config: { permission: 'kyc.review' },
      schema: {
        operationId: 'downloadDocument',
        summary: "A customer's document file (the view is recorded in the audit log)",
        tags: staffTags,
        params: IdParams,
        querystring: FileQuery,
        response: { 200: FileResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const file = await readDocumentFile(app.db, app.cipher, dir, { id: request.params.id });
      await audit(app.db, request, { action: 'document.file_viewed', targetKind: 'document', targetId: file.id });
      return sendFile(reply, file, request.query.disposition === 'inline' ? 'inline' : 'attachment');
    },
  );

  app.post(
    '/api/v1/admin/documents/:id/review',
    {
      config: { permission: 'kyc.review' },
      schema: {
        operationId: 'reviewDocument',
        summary: 'Approve or reject a pending document (a reason is required to reject)',
        tags: staffTags,
        params: IdParams,
        body: Type.Object(
          {
            decision: enumOf(['approved', 'rejected'] as const),
            reason: Type.Optional(Type.String({ maxLength: REVIEW_REASON_CHARS_MAX })),
          },
          { additionalProperties: false },
        ),
        response: { 200: StaffDocumentBody, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const result = await app.db.transaction().execute(async (trx) => {
        const reviewed = await reviewDocument(trx, app.cipher, {
          id,
          staffId: request.staff!.id,
          decision: request.body.decision,
          reason: request.body.reason,
        });
        await audit(trx, request, {
          action: 'document.reviewed',
          targetKind: 'document',
          targetId: id,
          before: reviewed.before,
          after: reviewed.after,
          detail: { customerId: reviewed.document.customerId, kind: reviewed.document.kind },
        });
        return reviewed;
      });
      return staffDocumentJson(result.document);
    },
  );
};
