import { describe, expect, it } from 'vitest';
import { cleanFileName, FILE_NAME_CHARS_MAX, sniffContentType } from './documents.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('sniffContentType', () => {
  it('recognises PNG, JPEG and PDF by their leading bytes', () => {
    expect(sniffContentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('image/png');
    expect(sniffContentType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46))).toBe('image/jpeg');
    expect(sniffContentType(bytes(0xff, 0xd8, 0xff, 0xe1))).toBe('image/jpeg');
    expect(sniffContentType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('application/pdf');
  });

  it('refuses everything else, including near misses and short heads', () => {
    for (const head of [
      bytes(),
      bytes(0x89, 0x50, 0x4e, 0x47), // PNG cut short
      bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x00),
      bytes(0xff, 0xd8, 0x00),
      new TextEncoder().encode('%PDF'),
      new TextEncoder().encode(' %PDF-1.4'),
      new TextEncoder().encode('<!doctype html>'),
      new TextEncoder().encode('GIF89a'),
      bytes(0x50, 0x4b, 0x03, 0x04), // zip / docx
      bytes(0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0), // RIFF (webp)
    ]) {
      expect(sniffContentType(head)).toBeUndefined();
    }
  });
});

describe('cleanFileName', () => {
  it('keeps the last path segment only and removes control and direction characters', () => {
    expect(cleanFileName('../../etc/passwd', 'x')).toBe('passwd');
    expect(cleanFileName('C:\\Users\\张三\\身份证.jpg', 'x')).toBe('身份证.jpg');
    expect(cleanFileName('invoice\u202Egpj.exe', 'x')).toBe('invoicegpj.exe');
    expect(cleanFileName('a\r\nb\u0000.pdf', 'x')).toBe('ab.pdf');
  });

  it('falls back when nothing usable is left', () => {
    for (const name of [undefined, '', '   ', '/', '..', '.', 'dir/', '\u0000'])
      expect(cleanFileName(name, 'other.pdf')).toBe('other.pdf');
  });

  it('cuts long names to the limit in code points', () => {
    const long = '房'.repeat(FILE_NAME_CHARS_MAX + 50);
    expect(Array.from(cleanFileName(long, 'x'))).toHaveLength(FILE_NAME_CHARS_MAX);
  });
});
