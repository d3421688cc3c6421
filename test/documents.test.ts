import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_BYTES_MAX } from '../src/modules/identity/documents/index.ts';
import { signedInCustomer, type TestCustomer } from './helpers/customers.ts';
import { type MultipartPart, multipart, SAMPLE_FILES } from './helpers/multipart.ts';
import { signedInStaff, type TestStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let dataDir: string;
let uploads: string;
let alice: TestCustomer;
let bob: TestCustomer;
let reviewer: TestStaff;
let finance: TestStaff;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lendhall-docs-'));
  uploads = path.join(dataDir, 'uploads');
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  alice = await signedInCustomer(t);
  bob = await signedInCustomer(t);
  reviewer = await signedInStaff(t, ['reviewer']);
  finance = await signedInStaff(t, ['finance']);
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const en = { 'accept-language': 'en' };

function storedFiles(): string[] {
  return fs.existsSync(uploads) ? fs.readdirSync(uploads).sort() : [];
}

async function upload(who: TestCustomer, parts: readonly MultipartPart[]) {
  const body = multipart(parts);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/me/documents',
    headers: { ...who.headers, ...body.headers, ...en },
    payload: body.payload,
  });
}

const file = (data: Buffer, filename: string, contentType?: string): MultipartPart => ({
  file: 'file',
  filename,
  data,
  ...(contentType ? { contentType } : {}),
});

describe('uploading documents', () => {
  it('stores a PNG renamed .pdf as a PNG, under a random name, encrypted, with its SHA-256', async () => {
    const before = storedFiles();
    const res = await upload(alice, [
      { field: 'kind', value: 'property_certificate' },
      file(SAMPLE_FILES.png, '房产证.pdf', 'application/pdf'),
    ]);
    expect(res.statusCode).toBe(201);
    const doc = res.json();
    expect(doc).toMatchObject({
      kind: 'property_certificate',
      status: 'pending',
      contentType: 'image/png',
      fileName: '房产证.pdf',
      sizeBytes: SAMPLE_FILES.png.length,
      reviewReason: null,
      reviewedAt: null,
    });
    expect(doc.id).toMatch(/^doc_[0-9a-f]{32}$/);
    const { createHash } = await import('node:crypto');
    expect(doc.sha256).toBe(createHash('sha256').update(SAMPLE_FILES.png).digest('hex'));

    const added = storedFiles().filter((f) => !before.includes(f));
    expect(added).toHaveLength(1);
    const onDisk = fs.readFileSync(path.join(uploads, added[0]!));
    // Encrypted at rest: the PNG signature and bytes are not in the stored file.
    expect(onDisk.includes(SAMPLE_FILES.png.subarray(0, 8))).toBe(false);
    expect(onDisk.subarray(0, 4).toString('ascii')).toBe('LHD1');

    const download = await t.app.inject({
      method: 'GET',
      url: `/api/v1/me/documents/${doc.id}/file`,
      headers: alice.headers,
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="doc_[0-9a-f]{32}\.png"/);
    expect(download.headers['cache-control']).toBe('private, no-store');
    expect(download.rawPayload.equals(SAMPLE_FILES.png)).toBe(true);
  });

  it('accepts JPEG and PDF, judged by content whatever the name says', async () => {
    const jpeg = await upload(alice, [
      { field: 'kind', value: 'id_card' },
      file(SAMPLE_FILES.jpeg, 'id.png', 'image/png'),
    ]);
    expect(jpeg.statusCode).toBe(201);
    expect(jpeg.json().contentType).toBe('image/jpeg');
    const pdf = await upload(alice, [{ field: 'kind', value: 'bank_statement' }, file(SAMPLE_FILES.pdf, 'statement')]);
    expect(pdf.statusCode).toBe(201);
    expect(pdf.json().contentType).toBe('application/pdf');
    // A name without anything usable falls back to the kind.
    const unnamed = await upload(alice, [{ field: 'kind', value: 'other' }, file(SAMPLE_FILES.pdf, '../../..')]);
    expect(unnamed.statusCode).toBe(201);
    expect(unnamed.json().fileName).toBe('other.pdf');
  });

  it('refuses a text file renamed .jpg, and HTML named as a PNG, leaving no file behind', async () => {
    const before = storedFiles();
    for (const [data, name, type] of [
      [SAMPLE_FILES.text, 'photo.jpg', 'image/jpeg'],
      [SAMPLE_FILES.html, 'scan.png', 'image/png'],
      [Buffer.from('%PD'), 'tiny.pdf', 'application/pdf'],
    ] as const) {
      const res = await upload(alice, [{ field: 'kind', value: 'id_card' }, file(data, name, type)]);
      expect(res.statusCode).toBe(415);
      expect(res.json().error).toMatchObject({ code: 'DOCUMENT_TYPE_NOT_ALLOWED' });
      expect(res.json().error.message).toMatch(/JPEG, PNG or PDF/);
    }
    expect(storedFiles()).toEqual(before);
  });

  it('answers in Chinese by default', async () => {
    const body = multipart([{ field: 'kind', value: 'id_card' }, file(SAMPLE_FILES.text, 'a.jpg')]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/documents',
      headers: { ...alice.headers, ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.message).toContain('仅支持');
  });

  it('refuses a file one byte over the limit with 413 while streaming, and leaves no file behind', async () => {
    const before = storedFiles();
    const big = Buffer.alloc(UPLOAD_BYTES_MAX + 1, 0);
    SAMPLE_FILES.png.copy(big);
    const res = await upload(alice, [{ field: 'kind', value: 'bank_statement' }, file(big, 'big.png')]);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('DOCUMENT_TOO_LARGE');
    expect(storedFiles()).toEqual(before);
  });

  it('accepts a file of exactly the limit', async () => {
    const exact = Buffer.alloc(UPLOAD_BYTES_MAX, 0);
    SAMPLE_FILES.pdf.copy(exact);
    const res = await upload(bob, [{ field: 'kind', value: 'financial_statement' }, file(exact, 'exact.pdf')]);
    expect(res.statusCode).toBe(201);
    expect(res.json().sizeBytes).toBe(UPLOAD_BYTES_MAX);
  });

  it('refuses a request declaring a body far over the limit before reading it', async () => {
    const before = storedFiles();
    const big = Buffer.alloc(UPLOAD_BYTES_MAX + 512 * 1024, 0);
    SAMPLE_FILES.png.copy(big);
    const res = await upload(alice, [{ field: 'kind', value: 'bank_statement' }, file(big, 'huge.png')]);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('DOCUMENT_TOO_LARGE');
    expect(storedFiles()).toEqual(before);
  });

  it('refuses bad forms with stable codes', async () => {
    const before = storedFiles();
    const cases: [readonly MultipartPart[], number, string][] = [
      [[file(SAMPLE_FILES.png, 'a.png')], 400, 'DOCUMENT_KIND_REQUIRED'],
      [[file(SAMPLE_FILES.png, 'a.png'), { field: 'kind', value: 'id_card' }], 400, 'DOCUMENT_KIND_REQUIRED'],
      [[{ field: 'kind', value: 'passport_of_mars' }, file(SAMPLE_FILES.png, 'a.png')], 400, 'DOCUMENT_KIND_INVALID'],
      [[{ field: 'kind', value: 'id_card' }], 400, 'DOCUMENT_FILE_REQUIRED'],
      [[{ field: 'kind', value: 'id_card' }, file(Buffer.alloc(0), 'empty.png')], 400, 'DOCUMENT_EMPTY'],
      [
        [{ field: 'kind', value: 'id_card' }, file(SAMPLE_FILES.png, 'a.png'), file(SAMPLE_FILES.png, 'b.png')],
        400,
        'DOCUMENT_ONE_FILE_ONLY',
      ],
    ];
    for (const [parts, status, code] of cases) {
      const res = await upload(alice, parts);
      expect([res.statusCode, res.json().error?.code]).toEqual([status, code]);
    }
    expect(storedFiles()).toEqual(before);
  });

  it('refuses a JSON body, a truncated multipart body, and an unauthenticated upload', async () => {
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/documents',
      headers: { ...alice.headers, ...en },
      payload: { kind: 'id_card', file: 'iVBORw0KGgo=' },
    });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('DOCUMENT_NOT_MULTIPART');

    const body = multipart([{ field: 'kind', value: 'id_card' }, file(SAMPLE_FILES.png, 'a.png')]);
    const truncated = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/documents',
      headers: { ...alice.headers, ...body.headers, ...en },
      payload: body.payload.subarray(0, body.payload.length - 30),
    });
    expect(truncated.statusCode).toBe(400);
    expect(truncated.json().error.code).toBe('DOCUMENT_UPLOAD_MALFORMED');

    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/documents',
      headers: { ...body.headers },
      payload: body.payload,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('keeps only random names in the uploads folder, never the client’s name', async () => {
    await upload(alice, [
      { field: 'kind', value: 'other' },
      file(SAMPLE_FILES.pdf, '../../etc/passwd 330106199001011234.pdf'),
    ]);
    const names = storedFiles();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^[0-9a-f]{32}$/);
    // Nothing was written outside the uploads folder.
    expect(fs.readdirSync(dataDir).sort()).toEqual(['uploads']);
  });
});

describe('my documents', () => {
  it('lists only my own, newest first, pages with a cursor and filters by kind', async () => {
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/me/documents?limit=2', headers: alice.headers });
    expect(mine.statusCode).toBe(200);
    const page = mine.json();
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBe(page.items[1].id);
    expect(page.items[0].id > page.items[1].id).toBe(true);
    const next = await t.app.inject({
      method: 'GET',
      url: `/api/v1/me/documents?limit=100&cursor=${page.nextCursor}`,
      headers: alice.headers,
    });
    expect(next.json().items.every((d: { id: string }) => d.id < page.nextCursor)).toBe(true);

    const bobs = await t.app.inject({ method: 'GET', url: '/api/v1/me/documents', headers: bob.headers });
    expect(bobs.json().items).toHaveLength(1);

    const idCards = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/documents?kind=id_card',
      headers: alice.headers,
    });
    expect(idCards.json().items.every((d: { kind: string }) => d.kind === 'id_card')).toBe(true);

    for (const query of ['limit=0', 'limit=101', 'kind=nope', 'cursor=abc', 'status=lost']) {
      const bad = await t.app.inject({ method: 'GET', url: `/api/v1/me/documents?${query}`, headers: alice.headers });
      expect(bad.statusCode, query).toBe(400);
    }
  });

  it("answers 404 for another customer's document, to download or delete", async () => {
    const bobsDoc = (await t.app.inject({ method: 'GET', url: '/api/v1/me/documents', headers: bob.headers })).json()
      .items[0];
    const download = await t.app.inject({
      method: 'GET',
      url: `/api/v1/me/documents/${bobsDoc.id}/file`,
      headers: alice.headers,
    });
    expect(download.statusCode).toBe(404);
    expect(download.json().error.code).toBe('DOCUMENT_NOT_FOUND');
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/documents/${bobsDoc.id}`,
      headers: alice.headers,
    });
    expect(del.statusCode).toBe(404);
    const still = await t.app.inject({
      method: 'GET',
      url: `/api/v1/me/documents/${bobsDoc.id}/file`,
      headers: bob.headers,
    });
    expect(still.statusCode).toBe(200);
  });

  it('refuses path tricks in the id', async () => {
    for (const id of ['..%2F..%2Fsecrets%2Fdata-key', 'doc_..', '%2e%2e', `doc_${'0'.repeat(32)}`]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/me/documents/${id}/file`, headers: alice.headers });
      expect([400, 404]).toContain(res.statusCode);
    }
  });

  it('deletes a pending document and its file', async () => {
    const res = await upload(alice, [{ field: 'kind', value: 'income_proof' }, file(SAMPLE_FILES.png, 'p.png')]);
    const id = res.json().id;
    const before = storedFiles();
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/documents/${id}`, headers: alice.headers });
    expect(del.statusCode).toBe(204);
    expect(storedFiles()).toHaveLength(before.length - 1);
    const again = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/documents/${id}`, headers: alice.headers });
    expect(again.statusCode).toBe(404);
  });
});

describe('review by staff', () => {
  let docId: string;
  beforeAll(async () => {
    const res = await upload(alice, [
      { field: 'kind', value: 'business_licence' },
      file(SAMPLE_FILES.jpeg, 'licence.jpg'),
    ]);
    docId = res.json().id;
  });

  it('lists pending documents with the customer, filters by customer and status', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/documents?status=pending&customerId=${alice.id}`,
      headers: reviewer.headers,
    });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.length).toBeGreaterThan(0);
    expect(
      items.every((d: { customerId: string; status: string }) => d.customerId === alice.id && d.status === 'pending'),
    ).toBe(true);
    expect(items[0].customerPhoneMasked).toMatch(/^139\*{4}\d{4}$/);
  });

  it('lets a reviewer download any document, and records the view', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/documents/${docId}/file?disposition=inline`,
      headers: reviewer.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['content-disposition']).toMatch(/^inline;/);
    expect(res.rawPayload.equals(SAMPLE_FILES.jpeg)).toBe(true);
    const logged = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_id'])
      .where('action', '=', 'document.file_viewed')
      .where('target_id', '=', docId)
      .execute();
    expect(logged.map((r) => r.actor_id)).toEqual([reviewer.id]);
  });

  it('refuses staff without kyc.review (403) and customers (401)', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/admin/documents'],
      ['GET', `/api/v1/admin/documents/${docId}/file`],
      ['POST', `/api/v1/admin/documents/${docId}/review`],
    ] as const) {
      const staff = await t.app.inject({
        method,
        url,
        headers: finance.headers,
        ...(method === 'POST' ? { payload: { decision: 'approved' } } : {}),
      });
      expect(staff.statusCode, url).toBe(403);
      const customer = await t.app.inject({ method, url, headers: alice.headers });
      expect(customer.statusCode, url).toBe(401);
    }
  });

  it('needs a reason to reject, and refuses unknown decisions', async () => {
    const review = (payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/documents/${docId}/review`,
        headers: { ...reviewer.headers, ...en },
        payload: payload as object,
      });
    const noReason = await review({ decision: 'rejected' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.code).toBe('DOCUMENT_REASON_REQUIRED');
    expect((await review({ decision: 'rejected', reason: '   ' })).json().error.code).toBe('DOCUMENT_REASON_REQUIRED');
    expect((await review({ decision: 'maybe' })).statusCode).toBe(400);
    expect((await review({ decision: 'approved', reason: 'x'.repeat(501) })).statusCode).toBe(400);
    expect((await review({})).statusCode).toBe(400);
  });

  it('rejects with a reason, audited; then the customer can no longer delete it, nor can it be reviewed again', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/documents/${docId}/review`,
      headers: reviewer.headers,
      payload: { decision: 'rejected', reason: '营业执照已过期' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: docId,
      status: 'rejected',
      reviewReason: '营业执照已过期',
      reviewedBy: reviewer.id,
    });

    const entry = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_kind', 'actor_id', 'before', 'after'])
      .where('action', '=', 'document.reviewed')
      .where('target_id', '=', docId)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      actor_kind: 'staff',
      actor_id: reviewer.id,
      before: { status: 'pending' },
      after: { status: 'rejected', reason: '营业执照已过期' },
    });

    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/documents/${docId}/review`,
      headers: reviewer.headers,
      payload: { decision: 'approved' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('DOCUMENT_ALREADY_REVIEWED');

    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/documents/${docId}`, headers: alice.headers });
    expect(del.statusCode).toBe(409);
    expect(del.json().error.code).toBe('DOCUMENT_ALREADY_REVIEWED');

    const mine = (await t.app.inject({ method: 'GET', url: '/api/v1/me/documents', headers: alice.headers })).json();
    expect(mine.items.find((d: { id: string }) => d.id === docId)).toMatchObject({
      status: 'rejected',
      reviewReason: '营业执照已过期',
    });
  });

  it('approves a pending document', async () => {
    const pending = (
      await t.app.inject({ method: 'GET', url: '/api/v1/admin/documents?status=pending', headers: reviewer.headers })
    ).json().items[0];
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/documents/${pending.id}/review`,
      headers: reviewer.headers,
      payload: { decision: 'approved' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', reviewReason: null });
  });

  it('answers 404 for an unknown document', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/documents/doc_${'0'.repeat(32)}/review`,
      headers: reviewer.headers,
      payload: { decision: 'approved' },
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('data at rest', () => {
  it('keeps no plaintext file name in the database', async () => {
    const rows = await t.database.db.selectFrom('documents').selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain('330106199001011234');
    expect(dump).not.toContain('房产证');
  });
});

describe('server faults', () => {
  it('answers 500 (not a client error) when the uploads folder cannot be written', async () => {
    const brokenDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lendhall-docs-broken-'));
    fs.writeFileSync(path.join(brokenDir, 'uploads'), 'not a folder');
    const broken = await createTestApp({ env: { DATA_DIR: brokenDir } });
    try {
      const who = await signedInCustomer(broken);
      const body = multipart([{ field: 'kind', value: 'id_card' }, file(SAMPLE_FILES.png, 'a.png')]);
      const res = await broken.app.inject({
        method: 'POST',
        url: '/api/v1/me/documents',
        headers: { ...who.headers, ...body.headers },
        payload: body.payload,
      });
      expect(res.statusCode).toBe(500);
      expect(res.json().error.code).toBe('INTERNAL_ERROR');
      expect(await broken.database.db.selectFrom('documents').select('id').execute()).toEqual([]);
    } finally {
      await broken.close();
      fs.rmSync(brokenDir, { recursive: true, force: true });
    }
  });
});
