import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOpenApiDocument, ROOT_DIR } from '../../src/configure-app';
import { createTestApp, type TestApp } from '../support/app';
import { bearer, makeMunicipality, makeUser } from '../support/factories';

describe('HTTP conventions (API.md "Conventions")', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    await makeMunicipality(t, 'GM0037', 'Stadskanaal');
    admin = await bearer(t, (await makeUser(t, 'admin')).email);
  });
  afterAll(() => t.close());

  it('GET /health answers {status:"ok"} without auth when the database answers', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('malformed JSON → 400 in the documented shape', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.c",')
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      message: 'The body is not valid JSON',
      error: 'Bad Request',
      code: 'MALFORMED_BODY',
    });
  });

  it('an unknown field → 400 naming it, and nothing is changed', async () => {
    const res = await t.http
      .post('/api/v1/municipalities')
      .set('Authorization', admin)
      .send({ code: 'GM1895', name: 'Oldambt', mayor: 'X' })
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      message: ['property mayor should not exist'],
      error: 'Bad Request',
    });
    await t.http.get('/api/v1/municipalities/GM1895').set('Authorization', admin).expect(404);
  });

  it('a body over 1 MiB → 413 in the documented shape', async () => {
    const res = await t.http
      .post('/api/v1/municipalities')
      .set('Authorization', admin)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ code: 'GM1950', name: 'x'.repeat(1024 * 1024 + 10) }))
      .expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('a body just under 1 MiB is read (and then refused by validation, not by size)', async () => {
    const res = await t.http
      .post('/api/v1/municipalities')
      .set('Authorization', admin)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ code: 'GM1950', name: 'x'.repeat(1000 * 1000) }))
      .expect(400);
    expect(res.body.message).toEqual(['name must be shorter than or equal to 100 characters']);
  });

  it('a write that is not JSON → 415', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'text/plain')
      .send('email=a')
      .expect(415);
    expect(res.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
    await t.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('email=a&password=b')
      .expect(415);
  });

  it.each([
    ['null', 'null'],
    ['an array', '[1,2,3]'],
    ['a string', '"hello"'],
    ['a number', '42'],
    ['deep nesting', '{"a":'.repeat(500) + '1' + '}'.repeat(500)],
    ['wrong types', '{"code":["GM0001"],"name":{"x":1},"holdingPeriodWorkingDays":"5"}'],
    [
      'prototype pollution',
      '{"__proto__":{"admin":true},"code":"GM0002","name":"X","holdingPeriodWorkingDays":99}',
    ],
  ])('never a 5xx for %s', async (_l, body) => {
    const res = await t.http
      .post('/api/v1/municipalities')
      .set('Authorization', admin)
      .set('Content-Type', 'application/json')
      .send(body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).toMatchObject({ statusCode: res.status });
    expect(JSON.stringify(res.body)).not.toMatch(
      /at .*\.(ts|js):\d+|SELECT|INSERT|QueryFailed|argon2/,
    );
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('an unknown API path → 404 JSON', async () => {
    const res = await t.http.get('/api/v1/nothing-here').set('Authorization', admin).expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('sends security headers (helmet) and no X-Powered-By', async () => {
    const res = await t.http.get('/inloggen').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('serves the OpenAPI document describing every API route, at /api/docs-json and /api/docs', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/auth/me',
      '/api/v1/users',
      '/api/v1/users/{id}',
      '/api/v1/municipalities',
      '/api/v1/municipalities/{code}',
      '/api/v1/dealers/applications',
      '/api/v1/dealers',
      '/api/v1/dealers/{id}',
      '/api/v1/dealers/{id}/status',
      '/health',
    ]) {
      expect(Object.keys(res.body.paths)).toContain(path);
    }
    const ui = await t.http.get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('the committed OpenAPI snapshot (docs/openapi.json) is current — run `npm run openapi` after an API change', () => {
    const committed = JSON.parse(readFileSync(join(ROOT_DIR, 'docs', 'openapi.json'), 'utf8'));
    expect(createOpenApiDocument(t.app)).toEqual(committed);
  });
});
