export { DocumentError } from './documents.errors.ts';
export { documentRoutes } from './documents.routes.ts';
export { type DocumentView, listCustomerDocuments, type StaffDocumentView } from './documents.service.ts';
export { UPLOADS_DIR_NAME, uploadsDir } from './documents.storage.ts';
export * from './documents.ts';
