import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC, ROLES_KEY } from '../../src/common/auth.decorators';
import { createTestApp, type TestApp } from '../support/app';

interface Route {
  controller: string;
  handler: string;
  method: string;
  path: string;
  isPublic: boolean;
  roles: string[] | undefined;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD', 'SEARCH'];

/** Every route the application serves, read from the controllers' metadata. */
function inventory(t: TestApp): Route[] {
  const routes: Route[] = [];
  for (const mod of t.app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as (new (...a: never[]) => object) | null;
      if (!cls) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, cls) ?? '');
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        const fn = (cls.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof fn !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, fn) as string | undefined;
        if (sub === undefined) continue;
        const method = METHODS[Reflect.getMetadata(METHOD_METADATA, fn) as number];
        routes.push({
          controller: cls.name,
          handler: name,
          method,
          path: `/${[base, sub].filter((s) => s && s !== '/').join('/')}`.replace(/\/+/g, '/'),
          isPublic:
            Reflect.getMetadata(IS_PUBLIC, fn) === true ||
            Reflect.getMetadata(IS_PUBLIC, cls) === true,
          roles: (Reflect.getMetadata(ROLES_KEY, fn) ?? Reflect.getMetadata(ROLES_KEY, cls)) as
            string[] | undefined,
        });
      }
    }
  }
  return routes;
}

describe('route inventory: deny by default (STYLE.md, QUALITY.md security)', () => {
  let t: TestApp;
  let routes: Route[];
  beforeAll(async () => {
    t = await createTestApp();
    routes = inventory(t);
  });
  afterAll(() => t.close());

  it('finds the routes (the inventory itself works)', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routes).toContainEqual(
      expect.objectContaining({ method: 'POST', path: '/api/v1/auth/login', isPublic: true }),
    );
    expect(routes).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        path: '/api/v1/dealers/:id/status',
        roles: ['admin', 'municipality'],
      }),
    );
  });

  it('every route declares @Public() or @Roles(…) with at least one role, never both', () => {
    const undeclared = routes.filter((r) => r.isPublic === Boolean(r.roles?.length));
    expect(undeclared.map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`)).toEqual(
      [],
    );
  });

  it('only the intended routes are public', () => {
    const pub = routes
      .filter((r) => r.isPublic)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(pub).toEqual(
      [
        'GET /',
        'GET /aanmelden',
        'GET /health',
        'GET /inloggen',
        'POST /aanmelden',
        'POST /api/v1/auth/login',
        'POST /api/v1/dealers/applications',
        'POST /inloggen',
        'POST /uitloggen',
      ].sort(),
    );
  });

  it('every non-public API route answers 401 without a token', async () => {
    const api = routes.filter((r) => !r.isPublic && r.path.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(8);
    for (const r of api) {
      const path = r.path
        .replace(':id', '00000000-0000-4000-8000-000000000000')
        .replace(':code', 'GM0037');
      const res = await t.http[r.method.toLowerCase() as 'get'](path)
        .set('Content-Type', 'application/json')
        .send(r.method === 'GET' ? undefined : '{}');
      expect(`${r.method} ${r.path} → ${res.status}`).toBe(`${r.method} ${r.path} → 401`);
    }
  });

  it('every non-public portal page sends an anonymous visitor to the sign-in page', async () => {
    const pages = routes.filter(
      (r) => !r.isPublic && !r.path.startsWith('/api/') && r.method === 'GET',
    );
    expect(pages.length).toBeGreaterThan(2);
    for (const r of pages) {
      const res = await t.http.get(r.path.replace(':id', '00000000-0000-4000-8000-000000000000'));
      expect(`${r.path} → ${res.status} ${res.headers.location}`).toBe(`${r.path} → 303 /inloggen`);
    }
  });
});
