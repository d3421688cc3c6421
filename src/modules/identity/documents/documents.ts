/**
 * Customer documents (资料上传): kinds, states, limits and the content check. Pure (no Node-only APIs):
 * the web app imports this file to check a file in the browser with the same rule the server applies.
 */

/** Largest file accepted, in bytes (10 MiB). Enforced while the upload streams in. */
export const UPLOAD_BYTES_MAX = 10 * 1024 * 1024;
/** Most documents one customer may keep (pending, approved and rejected together). */
export const DOCUMENTS_PER_CUSTOMER_MAX = 200;
/** Longest review reason, in characters. */
export const REVIEW_REASON_CHARS_MAX = 500;
/** The client's file name is kept (encrypted) for display only, cut to this many characters. */
export const FILE_NAME_CHARS_MAX = 120;
/** Bytes the content check needs from the start of a file. */
export const SNIFF_BYTES = 8;

export const DOCUMENT_KINDS = [
  'id_card',
  'property_certificate',
  'bank_statement',
  'business_licence',
  'financial_statement',
  'income_proof',
  'credit_report',
  'other',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const DOCUMENT_CONTENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type DocumentContentType = (typeof DOCUMENT_CONTENT_TYPES)[number];

export const EXTENSION_OF: Readonly<Record<DocumentContentType, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/pdf': 'pdf',
};

export function isDocumentKind(value: unknown): value is DocumentKind {
  return typeof value === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(value);
}

/** Leading bytes ("magic numbers") of each accepted format. */
const SIGNATURES: readonly { type: DocumentContentType; bytes: readonly number[] }[] = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }, // \x89PNG\r\n\x1a\n
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] }, // SOI marker and the next marker's 0xFF
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
];

/**
 * The format of a file from its first bytes (at least SNIFF_BYTES of them when the file is that long),
 * or undefined when it is none of JPEG, PNG and PDF. The file's name and declared type are never consulted.
 */
export function sniffContentType(head: Uint8Array): DocumentContentType | undefined {
  for (const signature of SIGNATURES) {
    if (head.length >= signature.bytes.length && signature.bytes.every((b, i) => head[i] === b)) {
      return signature.type;
    }
  }
  return undefined;
}

/**
 * The client's file name, made safe to keep and show: the last path segment only, control and bidi
 * characters removed, trimmed, cut to FILE_NAME_CHARS_MAX code points; `fallback` when nothing is left.
 */
export function cleanFileName(name: string | undefined, fallback: string): string {
  const last = (name ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = last
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim();
  const chars = Array.from(cleaned).slice(0, FILE_NAME_CHARS_MAX).join('');
  return chars === '' || chars === '.' || chars === '..' ? fallback : chars;
}
