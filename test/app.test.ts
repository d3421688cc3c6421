import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineErrors } from '../src/platform/errors.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

const ProbeError = defineErrors({
  PROBE_REFUSED: { status: 422, zh: '探针拒绝了 {what}', en: 'The probe refused {what}' },
});

/** Routes that exist only in this test, to exercise validation and the error handler. */
const probeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/test/echo',
    {
      schema: {
        operationId: 'testEcho',
        body: Type.Object(
          { amountFen: Type.Integer({ minimum: 1 }), note: Type.String({ maxLength: 10 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ amountFen: Type.Integer(), note: Type.String() }) },
      },
    },
    async (request) => request.body,
  );
  app.get('/api/v1/test/refuse', { schema: { operationId: 'testRefuse' } }, async () => {
    throw ProbeError.PROBE_REFUSED({ what: 'X' });
  });
  app.get('/api/v1/test/boom', { schema: { operationId: 'testBoom' } }, async () => {
    throw new Error('secret internal detail: password=hunter2');
  });
};

describe('the HTTP platform', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ plugins: [probeRoutes] });
  });
  afterAll(async () => t?.close());

  it('is live and ready on a fresh database', async () => {
    const live = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok' },
      pendingMigrations: [],
    });
  });

  it('publishes a valid OpenAPI 3 document with an operationId on every operation', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    await SwaggerParser.validate(structuredClone(doc));
    const operations = Object.entries(doc.paths as Record<string, Record<string, { operationId?: string }>>).flatMap(
      ([p, methods]) =>
        Object.entries(methods).map(([m, op]) => ({ where: `${m.toUpperCase()} ${p}`, id: op.operationId })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(3);
    expect(operations.filter((o) => !o.id).map((o) => o.where)).toEqual([]);
    const ids = operations.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('getReadiness');
  });

  it('serves the API docs UI at /docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('answers unknown routes with a JSON 404 and a code, in Chinese by default', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({
      code: 'ROUTE_NOT_FOUND',
      message: '接口不存在：GET /api/v1/no-such-thing',
    });
    const post = await t.app.inject({ method: 'POST', url: '/nowhere', payload: {} });
    expect(post.statusCode).toBe(404);
    expect(post.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('switches the message language with Accept-Language', async () => {
    const en = await t.app.inject({
      method: 'GET',
      url: '/api/v1/nope',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(en.json().error.message).toBe('No such endpoint: GET /api/v1/nope');
    expect(en.headers['content-language']).toBe('en-US');
    const zh = await t.app.inject({
      method: 'GET',
      url: '/api/v1/nope',
      headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' },
    });
    expect(zh.json().error.message).toBe('接口不存在：GET /api/v1/nope');
    const other = await t.app.inject({ method: 'GET', url: '/api/v1/nope', headers: { 'accept-language': 'fr-FR' } });
    expect(other.headers['content-language']).toBe('zh-CN');
  });

  it('accepts a valid body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      payload: { amountFen: 100, note: 'ok' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ amountFen: 100, note: 'ok' });
  });

  it.each([
    ['a missing field', { note: 'x' }, 'amountFen', 'required'],
    ['a wrong type', { amountFen: 'lots', note: 'x' }, 'amountFen', 'type'],
    ['a number sent as text', { amountFen: '100', note: 'x' }, 'amountFen', 'type'],
    ['a value too small', { amountFen: 0, note: 'x' }, 'amountFen', 'minimum'],
    ['a fractional amount', { amountFen: 1.5, note: 'x' }, 'amountFen', 'type'],
    ['a string too long', { amountFen: 1, note: 'x'.repeat(11) }, 'note', 'maxLength'],
    ['an unknown field', { amountFen: 1, note: 'x', admin: true }, 'admin', 'additionalProperties'],
  ])('rejects %s with 400 naming the field', async (_name, payload, field, rule) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      payload,
      headers: { 'accept-language': 'en' },
    });
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.field).toBe(field);
    expect(error.details.issues[0]).toEqual({ field, rule });
    expect(error.message).toBe(`Invalid request: ${field}`);
  });

  it('names the field in Chinese too', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/test/echo', payload: { note: 'x' } });
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: '请求参数有误：amountFen' });
    expect(res.json().error.details.problem).toBe('必填');
  });

  it('rejects malformed JSON, an empty JSON body and the wrong content type', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      payload: '{"amountFen": 1,',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_JSON');
    const empty = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      payload: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('INVALID_JSON');
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      payload: 'amountFen=1',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects a body over the size limit with 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      payload: JSON.stringify({ amountFen: 1, note: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('turns a typed error into its status, code and message with placeholders filled', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/test/refuse' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toEqual({ code: 'PROBE_REFUSED', message: '探针拒绝了 X', details: { what: 'X' } });
  });

  it('hides internals of an unexpected error behind a 500 with the request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/test/boom', headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('stack');
    const error = res.json().error;
    expect(error.code).toBe('INTERNAL_ERROR');
    expect(error.details.requestId).toBe(res.headers['x-request-id']);
    expect(error.message).toContain(String(res.headers['x-request-id']));
  });

  it('gives every response a request id, keeping a well-formed one the caller sent', async () => {
    const own = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-abc-12345' } });
    expect(own.headers['x-request-id']).toBe('trace-abc-12345');
    const hostile = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': '<script>' } });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('serves public site facts from the database', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/site' });
    expect(res.statusCode).toBe(200);
    // A fresh database has no demo data: the platform falls back to its built-in name.
    expect(res.json()).toEqual({ name: { zh: '借贷厅', en: 'Lendhall' }, serviceHotline: '' });
  });
});

describe('serving the built web app', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lendhall-web-'));
    fs.mkdirSync(path.join(dir, 'dist/web/assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'dist/web/index.html'), '<!doctype html><title>spa</title>');
    fs.writeFileSync(path.join(dir, 'dist/web/assets/app-abc123.js'), 'console.log(1)');
    t = await createTestApp({ cwd: dir, env: { NODE_ENV: 'production' } });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/', '/invest', '/admin', '/admin/login', '/account/statements'])(
    'answers the page %s with index.html',
    async (url) => {
      const res = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<title>spa</title>');
    },
  );

  it('serves hashed assets with a long cache life', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it.each(['/api/v1/missing', '/assets/missing.js', '/sandbox/custodian/x'])('keeps a JSON 404 for %s', async (url) => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
  });
});
