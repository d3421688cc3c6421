import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assert } from '../../../platform/errors.ts';
import { DocumentError } from './documents.errors.ts';
import { type DocumentContentType, SNIFF_BYTES, sniffContentType, UPLOAD_BYTES_MAX } from './documents.ts';

/**
 * Where uploaded files live and how: `<DATA_DIR>/uploads/<storage key>`, the key 32 random hex digits made
 * here (never anything the client sent, so no path can be steered anywhere), the folder outside the web root.
 *
 * Every file is encrypted at rest with AES-256-GCM under its own random 256-bit key; the key is returned to
 * the caller to keep in the database wrapped by the field cipher (envelope encryption), so a copy of the
 * uploads folder alone reveals nothing. The storage key is the additional authenticated data: a file renamed
 * to another key does not decrypt. Layout: `LHD1` | nonce (12 bytes) | ciphertext | tag (16 bytes).
 */

export const UPLOADS_DIR_NAME = 'uploads';
const STORAGE_KEY_PATTERN = /^[0-9a-f]{32}$/;
const FILE_MAGIC = Buffer.from('LHD1', 'ascii');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FILE_KEY_BYTES = 32;

export function uploadsDir(dataDir: string): string {
  return path.join(dataDir, UPLOADS_DIR_NAME);
}

function storedPath(dir: string, storageKey: string): string {
  assert(STORAGE_KEY_PATTERN.test(storageKey), `storage key must be 32 hex digits: ${storageKey.slice(0, 40)}`);
  return path.join(dir, storageKey);
}

function additionalData(storageKey: string): Buffer {
  return Buffer.from(`lendhall/document/${storageKey}`, 'utf8');
}

export interface StoredFile {
  readonly storageKey: string;
  /** The file's own encryption key; keep it wrapped (encrypted) in the database. */
  readonly fileKey: Buffer;
  readonly contentType: DocumentContentType;
  readonly sizeBytes: number;
  /** SHA-256 of the plaintext, hex. */
  readonly sha256: string;
}

/**
 * Counts, hashes and checks the bytes as they pass: refuses the stream once it exceeds UPLOAD_BYTES_MAX and
 * as soon as its first bytes are not JPEG, PNG or PDF.
 */
class Inspector extends Transform {
  sizeBytes = 0;
  contentType: DocumentContentType | undefined;
  readonly hash = createHash('sha256');
  private head = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sizeBytes += chunk.length;
    if (this.sizeBytes > UPLOAD_BYTES_MAX) {
      callback(DocumentError.DOCUMENT_TOO_LARGE({ limitMiB: UPLOAD_BYTES_MAX / 1024 / 1024 }));
      return;
    }
    if (this.contentType === undefined) {
      this.head = Buffer.concat([this.head, chunk]).subarray(0, SNIFF_BYTES);
      if (this.head.length >= SNIFF_BYTES) {
        this.contentType = sniffContentType(this.head);
        if (this.contentType === undefined) {
          callback(DocumentError.DOCUMENT_TYPE_NOT_ALLOWED());
          return;
        }
      }
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.sizeBytes === 0) {
      callback(DocumentError.DOCUMENT_EMPTY());
      return;
    }
    if (this.contentType === undefined) {
      // Shorter than SNIFF_BYTES: judge what there is.
      this.contentType = sniffContentType(this.head);
      if (this.contentType === undefined) {
        callback(DocumentError.DOCUMENT_TYPE_NOT_ALLOWED());
        return;
      }
    }
    callback();
  }
}

/**
 * Stream an upload into the uploads folder, encrypted, under a fresh random name. On any failure (too large,
 * not an accepted format, empty, the client went away) the partial file is removed and the error rethrown.
 */
export async function storeUpload(dir: string, source: Readable): Promise<StoredFile> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const storageKey = randomBytes(16).toString('hex');
  const fileKey = randomBytes(FILE_KEY_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', fileKey, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(storageKey));
  const inspector = new Inspector();
  const target = storedPath(dir, storageKey);
  try {
    await pipeline(
      source,
      inspector,
      async function* encrypt(plain: AsyncIterable<Buffer>) {
        yield Buffer.concat([FILE_MAGIC, nonce]);
        for await (const chunk of plain) yield cipher.update(chunk);
        yield cipher.final();
        yield cipher.getAuthTag();
      },
      fs.createWriteStream(target, { flags: 'wx', mode: 0o600 }),
    );
  } catch (error) {
    await removeStoredFile(dir, storageKey);
    throw error;
  }
  assert(inspector.contentType !== undefined, 'an accepted upload has a content type');
  return {
    storageKey,
    fileKey,
    contentType: inspector.contentType,
    sizeBytes: inspector.sizeBytes,
    sha256: inspector.hash.digest('hex'),
  };
}

/**
 * The plaintext of a stored file, authenticated (GCM tag) and checked against its recorded SHA-256.
 * A missing, altered or swapped file is not user input: it fails an assertion (500, logged).
 */
export async function readStoredFile(
  dir: string,
  stored: { storageKey: string; fileKey: Buffer; sha256: string },
): Promise<Buffer> {
  const data = await fsp.readFile(storedPath(dir, stored.storageKey));
  const headerBytes = FILE_MAGIC.length + NONCE_BYTES;
  assert(
    data.length >= headerBytes + TAG_BYTES && data.subarray(0, FILE_MAGIC.length).equals(FILE_MAGIC),
    `stored document ${stored.storageKey} is not in the expected format`,
  );
  assert(stored.fileKey.length === FILE_KEY_BYTES, 'a document file key is 32 bytes');
  const nonce = data.subarray(FILE_MAGIC.length, headerBytes);
  const decipher = createDecipheriv('aes-256-gcm', stored.fileKey, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(stored.storageKey));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(data.subarray(headerBytes, data.length - TAG_BYTES)), decipher.final()]);
  } catch {
    assert(false, `stored document ${stored.storageKey} failed authentication (altered or swapped)`);
  }
  assert(
    createHash('sha256').update(plain).digest('hex') === stored.sha256,
    `stored document ${stored.storageKey} does not match its recorded SHA-256`,
  );
  return plain;
}

/** Remove a stored file; a file already gone is not an error. */
export async function removeStoredFile(dir: string, storageKey: string): Promise<void> {
  await fsp.rm(storedPath(dir, storageKey), { force: true });
}
