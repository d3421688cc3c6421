import {
  DOCUMENT_KINDS,
  type DocumentContentType,
  type DocumentKind,
  type DocumentStatus,
  SNIFF_BYTES,
  sniffContentType,
  UPLOAD_BYTES_MAX,
} from '../../../../src/modules/identity/documents/documents.ts';
import { currentLanguage } from '../../i18n.ts';

export { DOCUMENT_KINDS, type DocumentKind, type DocumentStatus, UPLOAD_BYTES_MAX };

/** A document as the API answers it. */
export interface DocumentItem {
  id: string;
  kind: DocumentKind;
  status: DocumentStatus;
  fileName: string;
  contentType: DocumentContentType;
  sizeBytes: number;
  sha256: string;
  reviewReason: string | null;
  reviewedAt: string | null;
  createdAt: string;
}

export interface StaffDocumentItem extends DocumentItem {
  customerId: string;
  customerPhoneMasked: string;
  reviewedBy: string | null;
}

export interface DocumentPage<T> {
  items: T[];
  nextCursor: string | null;
}

export const UPLOAD_LIMIT_MIB = UPLOAD_BYTES_MAX / 1024 / 1024;

export const STATUS_COLOR: Record<DocumentStatus, string> = {
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
};

/** 1234567 → "1.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** What the browser can tell before uploading: the same content rule the server applies. */
export async function checkFileBeforeUpload(file: File): Promise<'ok' | 'empty' | 'too_large' | 'type'> {
  if (file.size === 0) return 'empty';
  if (file.size > UPLOAD_BYTES_MAX) return 'too_large';
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  return sniffContentType(head) ? 'ok' : 'type';
}

function readCookie(name: string): string | undefined {
  const prefix = `${name}=`;
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith(prefix))
    ?.slice(prefix.length);
}

/** Headers for an upload made outside `api()` (antd Upload's own request): language and CSRF token. */
export function uploadHeaders(): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLanguage() };
  const csrf = readCookie('csrf_token');
  if (csrf) headers['x-csrf-token'] = decodeURIComponent(csrf);
  return headers;
}
